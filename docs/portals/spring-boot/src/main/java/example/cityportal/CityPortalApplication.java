package example.cityportal;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * A city portal that signs citizens in with Passerelle (docs/portals/spring-boot/README.md explains each
 * step). Spring Boot's OAuth2 client does the protocol; {@link PortalSecurity} holds the few settings a
 * Passerelle portal needs beyond its defaults.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class CityPortalApplication {

    public static void main(String[] args) {
        SpringApplication.run(CityPortalApplication.class, args);
    }
}
