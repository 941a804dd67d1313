package io.passerelle.keys.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.nimbusds.jose.util.JSONObjectUtils;
import org.junit.jupiter.api.Test;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;

/** The hand-written OpenAPI document stays valid JSON and describes exactly the controller's routes. */
class KeyAdminOpenApiTest {

    @Test
    void theDocumentDescribesEveryRouteAndNothingElse() throws Exception {
        Map<String, Object> document = JSONObjectUtils.parse(AdminOpenApi.DOCUMENT);
        assertThat(document).containsEntry("openapi", "3.1.0");

        Set<String> documented = new TreeSet<>();
        JSONObjectUtils.getJSONObject(document, "paths").forEach((path, operations) ->
                ((Map<?, ?>) operations).keySet().stream().filter(key -> !key.equals("parameters"))
                        .forEach(method -> documented.add(method + " " + path)));
        Set<String> implemented = new TreeSet<>();
        for (Method method : java.util.stream.Stream.of(KeyAdminController.class, AuditAdminController.class,
                        PortalAdminController.class, PortalFileAdminController.class,
                        ConnectorFileAdminController.class)
                .flatMap(type -> Arrays.stream(type.getDeclaredMethods())).toList()) {
            GetMapping get = method.getAnnotation(GetMapping.class);
            PostMapping post = method.getAnnotation(PostMapping.class);
            if (get != null) {
                Arrays.stream(get.path()).forEach(path -> implemented.add("get " + path));
            }
            if (post != null) {
                Arrays.stream(post.path()).forEach(path -> implemented.add("post " + path));
            }
            PutMapping put = method.getAnnotation(PutMapping.class);
            DeleteMapping delete = method.getAnnotation(DeleteMapping.class);
            if (put != null) {
                Arrays.stream(put.path()).forEach(path -> implemented.add("put " + path));
            }
            if (delete != null) {
                Arrays.stream(delete.path()).forEach(path -> implemented.add("delete " + path));
            }
        }
        assertThat(documented).isEqualTo(implemented).hasSize(10);
    }

    @Test
    void everyAuditEventTypeIsNamed() {
        for (io.passerelle.audit.AuditType type : io.passerelle.audit.AuditType.values()) {
            assertThat(AdminOpenApi.DOCUMENT).contains(type.name());
        }
    }

    @Test
    void everyReferenceResolves() throws Exception {
        Map<String, Object> components = JSONObjectUtils.getJSONObject(JSONObjectUtils.parse(AdminOpenApi.DOCUMENT), "components");
        java.util.regex.Matcher refs = java.util.regex.Pattern.compile("\"\\$ref\": \"#/components/(\\w+)/(\\w+)\"")
                .matcher(AdminOpenApi.DOCUMENT);
        int count = 0;
        while (refs.find()) {
            assertThat(JSONObjectUtils.getJSONObject(components, refs.group(1))).as(refs.group()).containsKey(refs.group(2));
            count++;
        }
        assertThat(count).isGreaterThan(10);
    }
}
