package io.passerelle.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.passerelle.identity.CitizenAuthentication;

import org.springframework.core.convert.support.GenericConversionService;
import org.springframework.security.core.context.SecurityContextImpl;

/** A browser's sign-in stored by a node before CitizenAuthentication moved package is read after the move. */
class SessionSerializationTest {

    private final ClassLoader loader = getClass().getClassLoader();

    @Test
    void signInSerializedUnderTheFormerClassNameIsRead() throws IOException {
        CitizenAuthentication citizen = CitizenAuthentication.of("c-1", "eid", "http://eidas.europa.eu/LoA/high",
                List.of("hwk"), Instant.parse("2026-12-06T10:00:00Z"));
        GenericConversionService conversions = SessionSerialization.conversionService(loader);
        byte[] stored = conversions.convert(new SecurityContextImpl(citizen), byte[].class);
        byte[] former = renamed(stored, CitizenAuthentication.class.getName(), "io.passerelle.broker.CitizenAuthentication");
        assertThat(new String(former, java.nio.charset.StandardCharsets.ISO_8859_1))
                .contains("io.passerelle.broker.CitizenAuthentication");

        Object read = conversions.convert(former, Object.class);

        assertThat(read).isInstanceOf(SecurityContextImpl.class);
        CitizenAuthentication back = (CitizenAuthentication) ((SecurityContextImpl) read).getAuthentication();
        assertThat(back.citizenId()).isEqualTo("c-1");
        assertThat(back.acr()).isEqualTo("http://eidas.europa.eu/LoA/high");
        assertThat(back.authTime()).isEqualTo(Instant.parse("2026-12-06T10:00:00Z"));
    }

    @Test
    void redisSerializerReadsTheFormerNameToo() throws IOException {
        CitizenAuthentication citizen = CitizenAuthentication.of("c-2", "itsme", "http://eidas.europa.eu/LoA/substantial",
                List.of("pwd"), Instant.parse("2026-12-06T10:00:00Z"));
        var redis = SessionSerialization.redisSerializer(loader);
        byte[] former = renamed(redis.serialize(citizen), CitizenAuthentication.class.getName(),
                "io.passerelle.broker.CitizenAuthentication");
        assertThat(((CitizenAuthentication) redis.deserialize(former)).citizenId()).isEqualTo("c-2");
    }

    /** The stream with one class name replaced (a class descriptor's name is a length-prefixed UTF string). */
    private static byte[] renamed(byte[] stream, String from, String to) throws IOException {
        byte[] old = utf(from);
        byte[] replacement = utf(to);
        for (int i = 0; i <= stream.length - old.length; i++) {
            if (java.util.Arrays.equals(stream, i, i + old.length, old, 0, old.length)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(stream, 0, i);
                out.write(replacement);
                out.write(stream, i + old.length, stream.length - i - old.length);
                return out.toByteArray();
            }
        }
        throw new AssertionError(from + " not in the stream");
    }

    private static byte[] utf(String name) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        new DataOutputStream(bytes).writeUTF(name);
        return bytes.toByteArray();
    }
}
