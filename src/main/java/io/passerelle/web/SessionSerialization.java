package io.passerelle.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectStreamClass;

import io.passerelle.identity.FormerTypeNames;

import org.springframework.core.ConfigurableObjectInputStream;
import org.springframework.core.convert.support.GenericConversionService;
import org.springframework.core.serializer.Deserializer;
import org.springframework.core.serializer.support.DeserializingConverter;
import org.springframework.core.serializer.support.SerializingConverter;
import org.springframework.data.redis.serializer.JdkSerializationRedisSerializer;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * How session attributes are written to the shared store: Java serialization, as Spring Session does
 * by default, but read with the class names of {@link FormerTypeNames}, so that a citizen's sign-in
 * stored by a node before an upgrade that moved its class is still read by a node after it (Java
 * serialization matches a class by its simple name and serial version once resolved).
 */
final class SessionSerialization implements Deserializer<Object> {

    private final ClassLoader classLoader;

    SessionSerialization(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    @Override
    public Object deserialize(InputStream input) throws IOException {
        try (ConfigurableObjectInputStream objects = new ConfigurableObjectInputStream(input, classLoader) {
            @Override
            protected Class<?> resolveClass(ObjectStreamClass stored) throws IOException, ClassNotFoundException {
                String current = FormerTypeNames.current(stored.getName());
                return current.equals(stored.getName()) ? super.resolveClass(stored)
                        : Class.forName(current, false, classLoader);
            }
        }) {
            return objects.readObject();
        } catch (ClassNotFoundException e) {
            throw new IOException("a session attribute of a class this version does not have: " + e.getMessage(), e);
        }
    }

    /** For Spring Session JDBC (bean {@code springSessionConversionService}). */
    static GenericConversionService conversionService(ClassLoader classLoader) {
        GenericConversionService conversions = new GenericConversionService();
        conversions.addConverter(Object.class, byte[].class, new SerializingConverter());
        conversions.addConverter(byte[].class, Object.class,
                new DeserializingConverter(new SessionSerialization(classLoader)));
        return conversions;
    }

    /** For Spring Session Data Redis (bean {@code springSessionDefaultRedisSerializer}). */
    static RedisSerializer<Object> redisSerializer(ClassLoader classLoader) {
        return new JdkSerializationRedisSerializer(new SerializingConverter(),
                new DeserializingConverter(new SessionSerialization(classLoader)));
    }
}
