package io.passerelle.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * DEMO ONLY, and only with {@code passerelle.demo.enabled: true}: the demo cards of {@link DemoPki#CARDS} to
 * download ({@code /demo/eid/cards/<name>.p12}, password "demo") and import into a browser, and the demo root
 * ({@code root-ca.pem}) for a browser that should trust the eID listener without a warning. Only those names are
 * served: never the CAs' or responders' keys of the same folder.
 */
@RestController
@ConditionalOnProperty(name = "passerelle.demo.enabled", havingValue = "true")
public final class DemoEidCards {

    static final String PATH = "/demo/eid/cards";
    private static final MediaType PKCS12 = MediaType.parseMediaType("application/x-pkcs12");
    private static final MediaType PEM = MediaType.parseMediaType("application/x-pem-file");

    private final Path pkiDir;

    public DemoEidCards(@Value("${" + DemoEidSetup.PKI_DIR + "}") Path pkiDir) {
        this.pkiDir = pkiDir;
    }

    @GetMapping(PATH + "/{name}.p12")
    public ResponseEntity<byte[]> card(@PathVariable String name) throws IOException {
        if (!DemoPki.CARDS.contains(name)) {
            return ResponseEntity.notFound().build();
        }
        return file("card-" + name + ".p12", "passerelle-demo-card-" + name + ".p12", PKCS12);
    }

    @GetMapping(PATH + "/root-ca.pem")
    public ResponseEntity<byte[]> root() throws IOException {
        return file("root-ca.pem", "passerelle-demo-root-ca.pem", PEM);
    }

    private ResponseEntity<byte[]> file(String file, String downloadName, MediaType type) throws IOException {
        Path path = pkiDir.resolve(file);
        if (!Files.isRegularFile(path)) {
            return ResponseEntity.notFound().build();
        }
        return ResponseEntity.ok().contentType(type).header("Cache-Control", "no-store")
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(downloadName).build()
                        .toString())
                .body(Files.readAllBytes(path));
    }
}
