package io.minitoolstream.examples;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;

import io.minitoolstream.devservices.SelfSignedCertificate;
import io.minitoolstream.examples.grpc.auth.TestTokens;

/**
 * A dev-services self-signed certificate (PKCS12, for 127.0.0.1 and localhost) written as the PEM files gRPC
 * takes: the certificate and its unencrypted PKCS#8 key.
 */
record TlsFiles(Path certificate, Path privateKey) {

    static TlsFiles create(Path dir) throws IOException, GeneralSecurityException {
        SelfSignedCertificate generated = SelfSignedCertificate.createIn(dir);
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(generated.keyStore())) {
            store.load(in, generated.password().toCharArray());
        }
        Key key = store.getKey("server", generated.password().toCharArray());
        Path certificate = Files.writeString(dir.resolve("cert.pem"),
                TestTokens.pem("CERTIFICATE", store.getCertificate("server").getEncoded()));
        Path privateKey = Files.writeString(dir.resolve("key.pem"), TestTokens.pem("PRIVATE KEY", key.getEncoded()));
        return new TlsFiles(certificate, privateKey);
    }

    String certificateResource() {
        return "file:" + certificate;
    }

    String privateKeyResource() {
        return "file:" + privateKey;
    }
}
