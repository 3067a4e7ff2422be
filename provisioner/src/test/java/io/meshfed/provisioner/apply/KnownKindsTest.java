package io.meshfed.provisioner.apply;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.meshfed.provisioner.crd.Crd;
import io.meshfed.provisioner.crd.CrdCatalog;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class KnownKindsTest {

    @Test
    @DisplayName("every served version of every CRD meshfed ships is known, with the CRD's plural and scope")
    void agreesWithTheCrds() {
        int checked = 0;
        CrdCatalog catalog = CrdCatalog.load();
        for (Crd crd : java.util.stream.Stream.concat(catalog.all().stream(), catalog.ossm3().stream()).toList()) {
            for (String version : crd.versions().keySet()) {
                ResourceDefinitionContext known = KnownKinds.find(crd.group() + "/" + version, crd.kind()).orElse(null);
                assertThat(known).as(crd.kind() + " " + crd.group() + "/" + version).isNotNull();
                assertThat(known.getPlural()).isEqualTo(crd.plural());
                assertThat(known.isNamespaceScoped()).isEqualTo(crd.namespaced());
                assertThat(known.getGroup()).isEqualTo(crd.group());
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(22);
        assertThat(KnownKinds.find("v1", "Namespace")).get().extracting(ResourceDefinitionContext::isNamespaceScoped)
                .isEqualTo(false);
        assertThat(KnownKinds.find("example.com/v1", "Widget")).isEmpty();
    }
}
