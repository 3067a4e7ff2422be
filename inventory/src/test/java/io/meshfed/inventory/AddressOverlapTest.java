package io.meshfed.inventory;

import io.meshfed.model.inventory.Inventory;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AddressOverlapTest {

    @Test
    @DisplayName("clusters that never meet in a peering may reuse a range; two that peer may not")
    void onlyWhereAPeerMustTellThemApart(@TempDir Path tmp) throws IOException {
        String hosts = """
                all:
                  vars:
                    meshfed_inventory_name: pairs
                    federation: {peering: pairs, pairs: [[a, b], [c, d]]}
                  hosts:
                    a: {metallb_addresses: [10.0.0.1-10.0.0.9]}
                    b: {metallb_addresses: [10.0.1.1-10.0.1.9]}
                    c: {metallb_addresses: [10.0.0.1-10.0.0.9]}
                    d: {metallb_addresses: [10.0.1.0/24]}
                """;
        Files.writeString(tmp.resolve("hosts.yaml"), hosts);
        Inventory separate = InventoryLoader.load(tmp);
        assertThat(separate.clusters()).hasSize(4);

        Files.writeString(tmp.resolve("hosts.yaml"), hosts.replace("[[a, b], [c, d]]", "[[a, b], [c, d], [a, c]]"));
        assertThatThrownBy(() -> InventoryLoader.load(tmp)).isInstanceOf(InventoryException.class)
                .hasMessageContaining("host 'c': metallb_addresses entry '10.0.0.1-10.0.0.9' overlaps a's '10.0.0.1-10.0.0.9'; "
                        + "a and c peer, so they could not tell");
    }

    @Test
    @DisplayName("spans of ranges and CIDRs, IPv4 and IPv6; families never overlap")
    void spans() {
        assertThat(Addresses.span("10.0.0.0/24")).isEqualTo(new Addresses.Span(ip(10, 0, 0, 0), ip(10, 0, 0, 255), false));
        assertThat(Addresses.span("10.0.0.77/30")).isEqualTo(new Addresses.Span(ip(10, 0, 0, 76), ip(10, 0, 0, 79), false));
        assertThat(Addresses.span("10.0.0.200-10.0.0.210").overlaps(Addresses.span("10.0.0.0/24"))).isTrue();
        assertThat(Addresses.span("10.0.1.0/24").overlaps(Addresses.span("10.0.0.0/24"))).isFalse();
        assertThat(Addresses.span("fd00::/64").overlaps(Addresses.span("fd00::10-fd00::20"))).isTrue();
        assertThat(Addresses.span("::/0").overlaps(Addresses.span("0.0.0.0/0"))).isFalse();
        assertThat(Addresses.span("10.0.0.9-10.0.0.1")).isNull();
    }

    private static BigInteger ip(int a, int b, int c, int d) {
        return BigInteger.valueOf(((long) a << 24) | ((long) b << 16) | ((long) c << 8) | d);
    }
}
