package io.meshfed.inventory;

import io.meshfed.inventory.ansible.AnsibleInventory;
import io.meshfed.model.inventory.ClusterSpec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A site inventory, as a platform team's playbooks already use it: bastions and VMs beside the clusters, and
 * meshfed_clusters (an Ansible host pattern) saying once which hosts are clusters. The other hosts are not
 * read: their variables are neither checked nor evaluated.
 */
class ClusterPatternTest {

    private static final String SITE = """
            jump ansible_host=192.0.2.10 mesh_nmae=not-checked

            [bastions]
            jump

            [vms]
            db1 backup_key="{{ lookup('file', '/secret') }}"

            [meshes]
            east kube_context=east metallb_addresses="['10.0.1.240/29']"
            west kube_context=west metallb_addresses="['10.0.2.240/29']"
            staging kube_context=staging metallb_addresses="['10.0.3.240/29']"

            [prod]
            east
            west
            db1

            [all:vars]
            meshfed_inventory_name=site
            ansible_python_interpreter="{{ ansible_playbook_python }}"
            meshfed_clusters=%s
            """;

    private static Path site(Path dir, String pattern) throws IOException {
        Files.writeString(dir.resolve("hosts"), SITE.formatted(pattern));
        return dir.resolve("hosts");
    }

    @Test
    @DisplayName("meshfed_clusters chooses the clusters; bastions and VMs are not read (a typo'd key, a lookup: no error)")
    void clustersByPattern(@TempDir Path tmp) throws IOException {
        assertThat(InventoryLoader.load(site(tmp, "meshes")).clusters()).extracting(ClusterSpec::name)
                .containsExactly("east", "west", "staging");
        assertThat(InventoryLoader.load(site(tmp, "meshes:&prod")).clusters()).extracting(ClusterSpec::name)
                .containsExactly("east", "west");
        assertThat(InventoryLoader.load(site(tmp, "all:!bastions:!vms:!staging")).clusters()).extracting(ClusterSpec::name)
                .containsExactly("east", "west");
        assertThat(InventoryLoader.load(site(tmp, "e*,~w.st")).clusters()).extracting(ClusterSpec::name)
                .containsExactly("east", "west");
    }

    @Test
    @DisplayName("a term that names nothing, or a pattern that leaves no host, is an error at meshfed_clusters' line; without it every host is a cluster, as before")
    void patternErrors(@TempDir Path tmp) throws IOException {
        String file = site(tmp, "meshs").toString();
        assertThatThrownBy(() -> InventoryLoader.load(site(tmp, "meshs")))
                .isInstanceOf(InventoryException.class)
                .hasMessage(file + ":22:18: meshfed_clusters 'meshs': 'meshs' matches no group and no host");
        assertThatThrownBy(() -> InventoryLoader.load(site(tmp, "meshes:&bastions")))
                .hasMessage(file + ":22:18: meshfed_clusters 'meshes:&bastions' leaves no host");
        Files.writeString(tmp.resolve("hosts"), SITE.replace("meshfed_clusters=%s\n", ""));
        assertThatThrownBy(() -> InventoryLoader.load(tmp.resolve("hosts")))
                .hasMessageContaining("host 'jump': unknown meshfed key 'mesh_nmae' (did you mean 'mesh_name'?)");
    }

    @Test
    @DisplayName("host patterns as ansible-playbook -l reads them: groups with their children, hosts, wildcards, regex, & and !")
    void selection(@TempDir Path tmp) throws IOException {
        AnsibleInventory ansible = InventoryLoader.loadAnsible(site(tmp, "meshes")).ansible();
        // each as ansible -i hosts PATTERN --list-hosts printed it (ansible-core 2.14)
        assertThat(ansible.select("prod")).as("as [prod] names them").containsExactly("east", "west", "db1");
        assertThat(ansible.select("prod:!db1:jump")).containsExactly("east", "west", "jump");
        assertThat(ansible.select("jump,prod")).as("the pattern's order").containsExactly("jump", "east", "west", "db1");
        assertThat(ansible.select("prod:&meshes")).containsExactly("east", "west");
        // with a comma, terms keep their colons (Ansible's split_host_pattern): 'prod:!db1' is one term, naming nothing
        assertThatThrownBy(() -> ansible.select("prod:!db1,jump")).hasMessage("'prod:!db1' matches no group and no host");
        assertThat(ansible.select("*")).hasSize(5);
        assertThat(ansible.select("s?aging")).containsExactly("staging");
        assertThatThrownBy(() -> ansible.select("prod:&nosuch")).hasMessage("'nosuch' matches no group and no host");
    }
}
