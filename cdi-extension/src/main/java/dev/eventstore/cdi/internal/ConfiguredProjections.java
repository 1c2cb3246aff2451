package dev.eventstore.cdi.internal;

import dev.eventstore.cdi.spi.ConfigValues;
import dev.eventstore.cdi.spi.ConfiguredProjection;
import dev.eventstore.cdi.spi.ConfiguredProjectionProvider;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * The asynchronous projections that libraries beside the extension add from configuration: every
 * {@link ConfiguredProjectionProvider} {@link ServiceLoader} finds is asked to read its keys, and every name must be
 * unique among them and the {@code @Projection} beans.
 */
final class ConfiguredProjections {

    private static final System.Logger LOG = System.getLogger(ConfiguredProjections.class.getName());

    private ConfiguredProjections() {
    }

    /**
     * @param config          records invalid values
     * @param annotatedNames  the {@code @Projection} beans' names, each with its bean class
     * @return the configured projections, none when a provider or a name is invalid (the problems say why)
     */
    static List<ConfiguredProjection> read(ConfigValues config, Map<String, Class<?>> annotatedNames) {
        List<ConfiguredProjection> configured = new ArrayList<>();
        for (ConfiguredProjectionProvider provider : providers(config)) {
            Optional<ConfiguredProjection> projection = provider.configure(config);
            projection.ifPresent(configured::add);
            projection.ifPresent(p -> LOG.log(System.Logger.Level.INFO, "Projection " + p.name()
                    + " configured by " + provider.getClass().getName()));
        }
        Map<String, ConfiguredProjection> byName = new HashMap<>();
        boolean unique = true;
        for (ConfiguredProjection projection : configured) {
            Class<?> bean = annotatedNames.get(projection.name());
            ConfiguredProjection twin = byName.putIfAbsent(projection.name(), projection);
            if (bean != null || twin != null) {
                unique = false;
                config.problem(projection.nameKey() + " '" + projection.name() + "' is also the name of "
                        + (bean != null ? "@Projection " + bean.getName() : "the projection " + twin.nameKey()
                        + " configures") + "; projection names key their checkpoints and must be unique: choose"
                        + " another");
            }
        }
        return unique ? List.copyOf(configured) : List.of();
    }

    private static List<ConfiguredProjectionProvider> providers(ConfigValues config) {
        List<ConfiguredProjectionProvider> providers = new ArrayList<>();
        try {
            ServiceLoader.load(ConfiguredProjectionProvider.class, ConfiguredProjectionProvider.class.getClassLoader())
                    .forEach(providers::add);
        } catch (ServiceConfigurationError e) {
            config.problem("A projection provider listed in META-INF/services/"
                    + ConfiguredProjectionProvider.class.getName() + " cannot be loaded: " + e.getMessage());
        }
        return providers;
    }
}
