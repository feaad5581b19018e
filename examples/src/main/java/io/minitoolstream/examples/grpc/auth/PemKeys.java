package io.minitoolstream.examples.grpc.auth;

import java.io.ByteArrayInputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the RSA public key that verifies RS256 tokens from PEM text (no extra crypto library needed). */
final class PemKeys {

    /** RS256 with a shorter modulus is breakable; nimbus itself refuses to sign with one. */
    static final int MIN_RSA_BITS = 2048;
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*)-----END \\1-----");

    private PemKeys() {
    }

    /**
     * The key of a {@code PUBLIC KEY} block (X.509 SubjectPublicKeyInfo, what {@code openssl rsa -pubout} writes)
     * or of a {@code CERTIFICATE}. {@code property} names the setting in error messages.
     */
    static RSAPublicKey rsaPublicKey(String property, String pem) {
        Matcher block = BLOCK.matcher(pem);
        if (!block.find()) {
            throw new IllegalArgumentException("invalid " + property + ": no PEM block (expected -----BEGIN PUBLIC"
                                               + " KEY----- or -----BEGIN CERTIFICATE-----)");
        }
        String type = block.group(1);
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(block.group(2));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid " + property + ": the " + type + " block is not base64", e);
        }
        PublicKey key;
        try {
            key = switch (type) {
                case "PUBLIC KEY" -> KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der));
                case "CERTIFICATE" -> CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
                case "RSA PUBLIC KEY" -> throw new IllegalArgumentException("invalid " + property
                        + ": PKCS#1 'RSA PUBLIC KEY' blocks are not read; convert with"
                        + " 'openssl rsa -RSAPublicKey_in -pubout' to a 'PUBLIC KEY' block");
                default -> throw new IllegalArgumentException("invalid " + property + ": a '" + type
                        + "' block is not a public key (expected PUBLIC KEY or CERTIFICATE)");
            };
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("invalid " + property + ": the " + type
                                               + " block is not an RSA public key: " + e.getMessage(), e);
        }
        if (!(key instanceof RSAPublicKey rsa)) {
            throw new IllegalArgumentException("invalid " + property + ": a " + key.getAlgorithm()
                                               + " key, RS256 needs RSA");
        }
        if (rsa.getModulus().bitLength() < MIN_RSA_BITS) {
            throw new IllegalArgumentException("invalid " + property + ": a " + rsa.getModulus().bitLength()
                                               + "-bit RSA key, RS256 needs at least " + MIN_RSA_BITS);
        }
        return rsa;
    }
}
