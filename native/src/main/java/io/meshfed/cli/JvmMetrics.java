package io.meshfed.cli;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The JVM's and the process's metrics (memory, GC, threads, classes, CPU, uptime, file descriptors),
 * bound only where /q/metrics is served: Quarkus' own binders are off at build time
 * (application.properties) because binding them costs every short command about 0.14 s of start-up.
 */
@ApplicationScoped
public class JvmMetrics {

    private JvmGcMetrics gc;

    void onStart(@Observes StartupEvent event, MeterRegistry registry) {
        if (!ConfigProvider.getConfig().getOptionalValue("quarkus.http.host-enabled", Boolean.class).orElse(true)) {
            return;
        }
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    /** The GC metrics listen to the JVM's GC notifications: stop listening. */
    void onStop(@Observes ShutdownEvent event) {
        if (gc != null) {
            gc.close();
        }
    }
}
