package io.passerelle.keys;

import io.passerelle.testsupport.MigratedDatabase;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

import javax.crypto.AEADBadTagException;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

@ExtendWith(OutputCaptureExtension.class)
class MasterKeyTest {

    private static final byte[] KID = "kid-1".getBytes(UTF_8);
    private static final byte[] SECRET = "{\"kty\":\"EC\",\"d\":\"secret\"}".getBytes(UTF_8);

    @TempDir
    Path dir;

    private KeyRepository repository;

    @BeforeEach
    void setUp() {
        repository = new JdbcKeyRepository(JdbcClient.create(MigratedDatabase.h2()));
    }

    @Test
    void whatItSealsItOpensWithTheSameAssociatedData() throws Exception {
        MasterKey key = randomKey();
        String sealed = key.encrypt(SECRET, KID);

        assertThat(key.decrypt(sealed, KID)).isEqualTo(SECRET);
        // IV (12) + ciphertext + tag (16).
        assertThat(Base64.getDecoder().decode(sealed)).hasSize(12 + SECRET.length + 16);
        assertThat(new String(Base64.getDecoder().decode(sealed), UTF_8)).doesNotContain("secret");
    }

    @Test
    void everyEncryptionUsesAFreshIv() {
        MasterKey key = randomKey();
        String first = key.encrypt(SECRET, KID);
        String second = key.encrypt(SECRET, KID);

        assertThat(Arrays.copyOf(Base64.getDecoder().decode(first), 12))
                .isNotEqualTo(Arrays.copyOf(Base64.getDecoder().decode(second), 12));
        assertThat(first).isNotEqualTo(second);
    }

    @Test
    void anotherMasterKeyCannotOpenIt() {
        String sealed = randomKey().encrypt(SECRET, KID);

        assertThatThrownBy(() -> randomKey().decrypt(sealed, KID)).isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void otherAssociatedDataCannotOpenIt() {
        MasterKey key = randomKey();
        String sealed = key.encrypt(SECRET, KID);

        assertThatThrownBy(() -> key.decrypt(sealed, "kid-2".getBytes(UTF_8))).isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void anAlteredOrMalformedValueCannotBeOpened() {
        MasterKey key = randomKey();
        byte[] sealed = Base64.getDecoder().decode(key.encrypt(SECRET, KID));
        sealed[sealed.length - 1] ^= 1;

        assertThatThrownBy(() -> key.decrypt(Base64.getEncoder().encodeToString(sealed), KID))
                .isInstanceOf(AEADBadTagException.class);
        assertThatThrownBy(() -> key.decrypt("not base64!", KID)).isInstanceOf(AEADBadTagException.class);
        assertThatThrownBy(() -> key.decrypt("AAAA", KID)).isInstanceOf(AEADBadTagException.class);
    }

    @Test
    void theConfiguredPropertyWinsAndNoFileIsTouched() throws Exception {
        byte[] bytes = random32();
        Path file = dir.resolve("data/master.key");
        MasterKey key = MasterKey.load(KeyProperties.masterKeyOnly(Base64.getEncoder().encodeToString(bytes), file), repository);

        assertThat(key.decrypt(new MasterKey(bytes, "test").encrypt(SECRET, KID), KID)).isEqualTo(SECRET);
        assertThat(key.source()).isEqualTo("property passerelle.keys.master-key");
        assertThat(file).doesNotExist();
    }

    @Test
    void aPropertyOfTheWrongLengthIsRefusedNamingTheProperty() {
        String sixteenBytes = Base64.getEncoder().encodeToString(new byte[16]);

        assertThatThrownBy(() -> MasterKey.load(KeyProperties.masterKeyOnly(sixteenBytes, dir.resolve("m.key")), repository))
                .isInstanceOf(KeyRingStartupException.class)
                .hasMessageContaining("passerelle.keys.master-key")
                .hasMessageContaining("16 bytes")
                .hasMessageContaining("32 bytes")
                .message().doesNotContain(sixteenBytes);
    }

    @Test
    void aPropertyThatIsNotBase64OrBlankIsRefusedNamingTheProperty() {
        assertThatThrownBy(() -> MasterKey.load(KeyProperties.masterKeyOnly("not*base64", dir.resolve("m.key")), repository))
                .isInstanceOf(KeyRingStartupException.class)
                .hasMessageContaining("passerelle.keys.master-key is not valid base64");
        // An empty environment variable is a broken deployment, not "use the file".
        assertThatThrownBy(() -> MasterKey.load(KeyProperties.masterKeyOnly("  ", dir.resolve("m.key")), repository))
                .isInstanceOf(KeyRingStartupException.class)
                .hasMessageContaining("passerelle.keys.master-key is empty");
        assertThat(dir.resolve("m.key")).doesNotExist();
    }

    @Test
    void anExistingFileIsRead() throws Exception {
        byte[] bytes = random32();
        Path file = dir.resolve("master.key");
        Files.writeString(file, Base64.getEncoder().encodeToString(bytes) + "\n");

        MasterKey key = MasterKey.load(KeyProperties.masterKeyOnly(null, file), repository);

        assertThat(key.decrypt(new MasterKey(bytes, "test").encrypt(SECRET, KID), KID)).isEqualTo(SECRET);
        assertThat(key.source()).isEqualTo("file " + file.toAbsolutePath());
    }

    @Test
    void aFileOfTheWrongLengthIsRefusedNamingTheFile() throws Exception {
        Path file = dir.resolve("master.key");
        Files.writeString(file, Base64.getEncoder().encodeToString(new byte[31]));

        assertThatThrownBy(() -> MasterKey.load(KeyProperties.masterKeyOnly(null, file), repository))
                .isInstanceOf(KeyRingStartupException.class)
                .hasMessageContaining("master key file " + file.toAbsolutePath())
                .hasMessageContaining("31 bytes");
    }

    @Test
    void aMissingFileIsCreatedOnlyWhenNoKeyExists(CapturedOutput output) throws Exception {
        Path file = dir.resolve("data/nested/master.key");

        MasterKey created = MasterKey.load(KeyProperties.masterKeyOnly(null, file), repository);

        assertThat(file).exists();
        assertThat(Base64.getDecoder().decode(Files.readString(file).strip())).hasSize(32);
        assertThat(output).contains("WARN").contains("development master key").contains(file.toString());
        // The next start reads the same key back.
        String sealed = created.encrypt(SECRET, KID);
        assertThat(MasterKey.load(KeyProperties.masterKeyOnly(null, file), repository).decrypt(sealed, KID)).isEqualTo(SECRET);
    }

    @Test
    void aCreatedFileIsReadableByItsOwnerOnly() throws Exception {
        assumeThat(dir.getFileSystem().supportedFileAttributeViews()).contains("posix");
        Path file = dir.resolve("master.key");

        MasterKey.load(KeyProperties.masterKeyOnly(null, file), repository);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aMissingFileIsNeverCreatedWhileKeysExist() {
        repository.insert(new StoredKey("kid-1", KeyAlgorithm.ES256, KeyState.ACTIVE, "{}", "sealed",
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-01-01T00:00:00Z"), null, null, 0));
        Path file = dir.resolve("master.key");

        assertThatThrownBy(() -> MasterKey.load(KeyProperties.masterKeyOnly(null, file), repository))
                .isInstanceOf(KeyRingStartupException.class)
                .hasMessageContaining(file.toAbsolutePath().toString())
                .hasMessageContaining("does not exist")
                .hasMessageContaining("passerelle.keys.master-key");
        assertThat(file).doesNotExist();
    }

    @Test
    void neitherTheKeyNorThePropertiesPrintTheSecret() {
        String secret = Base64.getEncoder().encodeToString(random32());

        assertThat(KeyProperties.masterKeyOnly(secret, dir).toString()).doesNotContain(secret);
        assertThat(randomKey().toString()).isEqualTo("MasterKey[from test]");
    }

    static MasterKey randomKey() {
        return new MasterKey(random32(), "test");
    }

    static byte[] random32() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
