// Written by kg: the kernel extension that the Graph Data Science plugin jar carries but the
// GDS modules on Maven Central do not. It registers the GDS procedure facade with open-edition
// defaults (no metrics, models kept in memory only). Compiled by kg.neo4j.gds into plugins/.
package kg.gds;

import java.util.Optional;
import org.neo4j.configuration.Config;
import org.neo4j.gds.applications.operations.FeatureTogglesRepository;
import org.neo4j.gds.core.model.OpenModelCatalog;
import org.neo4j.gds.core.write.NativeExportBuildersProvider;
import org.neo4j.gds.metrics.Metrics;
import org.neo4j.gds.procedures.integration.DefaultExportLocation;
import org.neo4j.gds.procedures.integration.LogAccessor;
import org.neo4j.gds.procedures.integration.OpenGraphDataScienceExtensionBuilder;
import org.neo4j.kernel.api.procedure.GlobalProcedures;
import org.neo4j.kernel.extension.ExtensionFactory;
import org.neo4j.kernel.extension.ExtensionType;
import org.neo4j.kernel.extension.context.ExtensionContext;
import org.neo4j.kernel.lifecycle.Lifecycle;
import org.neo4j.logging.internal.LogService;

public final class KgOpenGdsExtension extends ExtensionFactory<KgOpenGdsExtension.Dependencies> {
    public interface Dependencies {
        Config config();

        GlobalProcedures globalProcedures();

        LogService logService();
    }

    public KgOpenGdsExtension() {
        super(ExtensionType.GLOBAL, "gds.kg-open");
    }

    @Override
    public Lifecycle newInstance(ExtensionContext context, Dependencies dependencies) {
        var log = new LogAccessor().getLog(dependencies.logService(), getClass());
        var config = dependencies.config();
        return OpenGraphDataScienceExtensionBuilder.create(
                log,
                dependencies.globalProcedures(),
                config,
                (database, configuration) -> new NativeExportBuildersProvider(),
                new DefaultExportLocation(log, config),
                new FeatureTogglesRepository(),
                Metrics.DISABLED,
                new OpenModelCatalog(),
                model -> {
                    throw new UnsupportedOperationException("storing models needs GDS Enterprise");
                },
                Optional.empty(),
                Optional.empty(),
                Optional.empty())
            .getLeft()
            .build();
    }
}
