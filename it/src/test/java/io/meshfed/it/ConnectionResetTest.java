package io.meshfed.it;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.meshfed.inventory.InventoryLoader;
import io.meshfed.model.inventory.Inventory;
import io.meshfed.provisioner.apply.ClusterClient;
import io.meshfed.provisioner.apply.Connections;
import io.meshfed.provisioner.apply.ProgressListener;
import io.meshfed.provisioner.apply.RetryPolicy;
import io.meshfed.provisioner.apply.RunResult;
import io.meshfed.provisioner.simulate.SimulatedInventory;
import io.meshfed.provisioner.simulate.Simulation;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.patch;
import static com.github.tomakehurst.wiremock.client.WireMock.patchRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * WireMock as a proxy in front of green's simulated API server, resetting connections: the first
 * apply (PATCH) of every federation object and the first read of the peer's CA are cut off mid-request, and
 * a canned 503 answers the first read of the control plane. meshfed retries and converges, with no
 * duplicate objects.
 */
class ConnectionResetTest {

    @Test
    @DisplayName("connection resets and canned 503s through a WireMock proxy: apply converges, no duplicates")
    void resetsThroughWireMock() {
        Inventory inventory = InventoryLoader.load(Repo.example("blue-green"));
        WireMockServer proxy = new WireMockServer(wireMockConfig().dynamicPort().bindAddress("127.0.0.1")
                .trustAllProxyTargets(true));   // the simulated API server's certificate is its own CA's
        proxy.start();
        try (Simulation simulation = SimulatedInventory.start(inventory, ConvergeTest.FAST)) {
            String green = simulation.require("green").url();
            proxy.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().proxiedFrom(green.replaceAll("/$", ""))));
            int scenario = 0;
            for (String kind : List.of("servicemeshpeers", "importedservicesets", "configmaps")) {
                String name = "reset-" + scenario++;
                proxy.stubFor(patch(urlMatching(".*/" + kind + "/[^/?]+\\?.*")).atPriority(1).inScenario(name)
                        .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("done")
                        .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));
            }
            proxy.stubFor(get(urlMatching(".*/servicemeshcontrolplanes/green-mesh")).atPriority(1).inScenario("503")
                    .whenScenarioStateIs(Scenario.STARTED).willSetStateTo("done")
                    .willReturn(aResponse().withStatus(503).withHeader("Content-Type", "application/json")
                            .withBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":503,"
                                    + "\"message\":\"canned\"}")));

            // WireMock passes the Authorization header on, not a client certificate: through it, green is reached with a
            // token of an account bound to cluster-admin (the simulated clusters' proxy acts as the caller it authenticates)
            String token = Accounts.adminToken(simulation, "green");
            Map<String, ClusterClient> clients = Connections.open(inventory, 10, RetryPolicy.DEFAULT, name -> {
                var config = simulation.require(name).config("meshfed");
                return name.equals("green") ? new ConfigBuilder(config).withMasterUrl(proxy.baseUrl() + "/")
                        .withClientCertData(null).withClientKeyData(null).withOauthToken(token).build() : config;
            });
            RunResult result;
            try {
                result = new io.meshfed.provisioner.apply.Runner(clients, inventory, ConvergeTest.OPTIONS, ProgressListener.NONE)
                        .apply(ConvergeTest.graph(inventory), false, java.util.Set.of(), new io.meshfed.provisioner.apply.Cancellation());
            } finally {
                clients.values().forEach(ClusterClient::close);
            }

            assertThat(result.failures()).isEmpty();
            assertThat(clients.get("green").retries()).as("retried requests").isGreaterThanOrEqualTo(4);
            proxy.verify(2, patchRequestedFor(urlMatching(".*/servicemeshpeers/[^/?]+\\?.*")));
            var k = simulation.require("green").controllerClient();
            assertThat(k.genericKubernetesResources("federation.maistra.io/v1", "ServiceMeshPeer").inAnyNamespace().list()
                    .getItems()).hasSize(1);
            assertThat(k.genericKubernetesResources("federation.maistra.io/v1", "ImportedServiceSet").inAnyNamespace().list()
                    .getItems()).hasSize(1);
        } finally {
            proxy.stop();
        }
    }
}
