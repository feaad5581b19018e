package io.minitoolstream.examples.grpc.auth;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

/** Keys and tokens for the tests: one RSA key pair and one HS256 secret per JVM. */
public final class TestTokens {

    /** A fresh random secret (48 characters), so a test can look for it in logs. */
    public static final String HS256_SECRET = randomSecret();
    private static final KeyPair RSA = rsaKeyPair();

    private TestTokens() {
    }

    public static String rs256PublicKeyPem() {
        return pem("PUBLIC KEY", RSA.getPublic().getEncoded());
    }

    public static RSAPublicKey rs256PublicKey() {
        return (RSAPublicKey) RSA.getPublic();
    }

    public static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    /** Claims valid for an hour from now. */
    public static JWTClaimsSet.Builder claims(String clientId, List<String> permissions, List<String> subjects) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .claim("client_id", clientId)
                .claim("permissions", permissions)
                .claim("allowed_subjects", subjects)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofHours(1))));
    }

    public static String hs256(JWTClaimsSet.Builder claims) {
        return sign(JWSAlgorithm.HS256, hmacSigner(HS256_SECRET.getBytes(StandardCharsets.UTF_8)), claims);
    }

    public static String hs256(JWTClaimsSet.Builder claims, byte[] secret) {
        return sign(JWSAlgorithm.HS256, hmacSigner(secret), claims);
    }

    public static String rs256(JWTClaimsSet.Builder claims) {
        return sign(JWSAlgorithm.RS256, new RSASSASigner((RSAPrivateKey) RSA.getPrivate()), claims);
    }

    /** Signed by a key pair the server does not know. */
    public static String rs256WithOtherKey(JWTClaimsSet.Builder claims) {
        return sign(JWSAlgorithm.RS256, new RSASSASigner((RSAPrivateKey) rsaKeyPair().getPrivate()), claims);
    }

    /** {@code alg: none}: no signature at all. */
    public static String unsigned(JWTClaimsSet.Builder claims) {
        return new PlainJWT(claims.build()).serialize();
    }

    /** The classic algorithm confusion: HS256 with the server's RSA public key (its PEM text) as the secret. */
    public static String hs256WithPublicKeyAsSecret(JWTClaimsSet.Builder claims) {
        return hs256(claims, rs256PublicKeyPem().getBytes(StandardCharsets.US_ASCII));
    }

    private static JWSSigner hmacSigner(byte[] secret) {
        try {
            return new MACSigner(secret);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(JWSAlgorithm algorithm, JWSSigner signer, JWTClaimsSet.Builder claims) {
        SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims.build());
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String randomSecret() {
        byte[] bytes = new byte[36];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
