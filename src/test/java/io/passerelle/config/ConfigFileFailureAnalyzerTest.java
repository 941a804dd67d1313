package io.passerelle.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;

@ExtendWith(OutputCaptureExtension.class)
class ConfigFileFailureAnalyzerTest {

    @Test
    void describesFileFieldAndReasonOfANestedCause() {
        ConfigFileException cause = new ConfigFileException("config/clients/city.yml", "redirect_uris[1]",
                "must use https (http is allowed only for localhost)");
        FailureAnalysis analysis = new ConfigFileFailureAnalyzer()
                .analyze(new BeanCreationException("portalRepository", "failed", cause));

        assertThat(analysis).isNotNull();
        assertThat(analysis.getCause()).isSameAs(cause);
        assertThat(analysis.getDescription())
                .contains("File:   config/clients/city.yml")
                .contains("Field:  redirect_uris[1]")
                .contains("Reason: must use https (http is allowed only for localhost)");
        assertThat(analysis.getAction()).isEqualTo(
                "Fix the field 'redirect_uris[1]' in config/clients/city.yml and start Passerelle again.");
    }

    @Test
    void wholeFileProblemsHaveNoFieldLine() {
        FailureAnalysis analysis = new ConfigFileFailureAnalyzer()
                .analyze(new ConfigFileException("config/clients/city.yml", "", "is empty"));

        assertThat(analysis.getDescription()).doesNotContain("Field:").contains("Reason: is empty");
        assertThat(analysis.getAction()).isEqualTo("Fix config/clients/city.yml and start Passerelle again.");
    }

    @Test
    void ignoresOtherFailures() {
        assertThat(new ConfigFileFailureAnalyzer().analyze(new IllegalStateException("x"))).isNull();
    }

    @Test
    void isRegisteredInSpringFactories() {
        // Other analyzers need a bean factory to be created; ignore them, only ours matters here.
        assertThat(SpringFactoriesLoader.forDefaultResourceLocation()
                .load(FailureAnalyzer.class, null, FailureHandler.handleMessage((message, failure) -> { })))
                .anySatisfy(analyzer -> assertThat(analyzer).isInstanceOf(ConfigFileFailureAnalyzer.class));
    }

    @Test
    void aFailedStartPrintsTheReport(CapturedOutput output) {
        SpringApplication application = new SpringApplication(BrokenConfiguration.class);
        application.setWebApplicationType(WebApplicationType.NONE);

        assertThatThrownBy(application::run).hasRootCauseInstanceOf(ConfigFileException.class);
        assertThat(output)
                .contains("File:   config/clients/city.yml")
                .contains("Field:  scope[1]")
                .contains("Reason: unknown scope 'photos'")
                .contains("Fix the field 'scope[1]' in config/clients/city.yml");
    }

    @Configuration(proxyBeanMethods = false)
    static class BrokenConfiguration {

        @Bean
        String portals() {
            throw new ConfigFileException("config/clients/city.yml", "scope[1]", "unknown scope 'photos'");
        }
    }
}
