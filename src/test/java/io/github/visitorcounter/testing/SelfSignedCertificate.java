package io.github.visitorcounter.testing;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway self-signed certificate for {@code localhost} / {@code 127.0.0.1}, written
 * as PEM files: the server presents it and clients trust it as their CA.
 *
 * @param certificate the certificate (PEM)
 * @param privateKey its PKCS#8 private key (PEM)
 */
public record SelfSignedCertificate(Path certificate, Path privateKey) {

	public static SelfSignedCertificate generate() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(256);
			KeyPair keys = generator.generateKeyPair();
			X500Name name = new X500Name("CN=localhost");
			Instant now = Instant.now();
			JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
					BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofHours(1))),
					Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic());
			builder.addExtension(Extension.subjectAlternativeName, false,
					new GeneralNames(new GeneralName[] { new GeneralName(GeneralName.dNSName, "localhost"),
							new GeneralName(GeneralName.iPAddress, "127.0.0.1") }));
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
			X509Certificate certificate = new JcaX509CertificateConverter()
				.getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
			Path dir = Files.createTempDirectory("visitor-counter-tls");
			dir.toFile().deleteOnExit();
			Path certificateFile = write(dir.resolve("cert.pem"), "CERTIFICATE", certificate.getEncoded());
			Path keyFile = write(dir.resolve("key.pem"), "PRIVATE KEY", keys.getPrivate().getEncoded());
			return new SelfSignedCertificate(certificateFile, keyFile);
		}
		catch (GeneralSecurityException | OperatorCreationException | IOException ex) {
			throw new IllegalStateException("Could not create a test certificate", ex);
		}
	}

	private static Path write(Path file, String type, byte[] der) throws IOException {
		String pem = "-----BEGIN " + type + "-----\n"
				+ Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der) + "\n-----END " + type + "-----\n";
		file.toFile().deleteOnExit();
		return Files.writeString(file, pem);
	}

}
