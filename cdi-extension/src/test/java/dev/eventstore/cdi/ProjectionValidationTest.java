package dev.eventstore.cdi;

import dev.eventstore.postgres.StoreConfig;
import dev.eventstore.testing.CdiTestContainer;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A broken projection fails the deployment, with every problem reported at once and each naming its class. */
class ProjectionValidationTest {

    private static final DataSource NEVER_USED = null;

    @Test
    void everyBrokenDefinitionIsReportedInOneDeploymentFailure() {
        assertThatThrownBy(() -> CdiTestContainer.start(NEVER_USED, StoreConfig.defaults(),
                BadProjections.FirstOfTwins.class, BadProjections.SecondOfTwins.class,
                BadProjections.WithoutHandler.class, BadProjections.WithTwoParameters.class,
                BadProjections.WithWrongParameter.class, BadProjections.WithPackagePrivateHandler.class,
                BadProjections.WithReturningHandler.class, BadProjections.RequestScopedProjection.class,
                BadProjections.BlankName.class, BadProjections.BlankAggregateType.class,
                BadProjections.WithUpcastVersion.class).close())
                .isInstanceOf(jakarta.enterprise.inject.spi.DeploymentException.class)
                .hasMessageContaining("@Projection name 'twice' is used by " + BadProjections.FirstOfTwins.class.getName()
                        + " (INLINE) and " + BadProjections.SecondOfTwins.class.getName()
                        + " (ASYNC); projection names must be unique, and these modes conflict")
                .hasMessageContaining(BadProjections.WithoutHandler.class.getName() + ": has no @EventHandler method")
                .hasMessageContaining(BadProjections.WithTwoParameters.class.getName()
                        + ": @EventHandler on(PersistedEvent, String) must take a PersistedEvent, or a domain event"
                        + " optionally followed by the PersistedEvent")
                .hasMessageContaining(BadProjections.WithWrongParameter.class.getName()
                        + ": @EventHandler on(String) takes java.lang.String, which is not an event of any generated"
                        + " EventMapper; list it in an @EventFamily and compile with the event store's annotation"
                        + " processor")
                .hasMessageContaining(BadProjections.WithUpcastVersion.class.getName()
                        + ": @EventHandler on(OrderPlaced) takes "
                        + dev.eventstore.mapping.order.events.v1.OrderPlaced.class.getName()
                        + ", which OrderEventMapper always upcasts to a newer version; take that version instead")
                .hasMessageContaining(BadProjections.WithPackagePrivateHandler.class.getName()
                        + ": @EventHandler on(PersistedEvent) must be public")
                .hasMessageContaining(BadProjections.WithReturningHandler.class.getName()
                        + ": @EventHandler on(PersistedEvent) must return void")
                .hasMessageContaining(BadProjections.RequestScopedProjection.class.getName()
                        + ": scope @RequestScoped is not allowed")
                .hasMessageContaining(BadProjections.BlankName.class.getName() + ": name must not be blank")
                .hasMessageContaining(BadProjections.BlankAggregateType.class.getName()
                        + ": aggregateTypes must not contain a blank entry");
    }

    @Test
    void everyBrokenResetDeclarationIsReportedInOneDeploymentFailure() {
        assertThatThrownBy(() -> CdiTestContainer.start(NEVER_USED, StoreConfig.defaults(),
                BadProjections.WithTwoResets.class, BadProjections.WithResetTakingWrongParameter.class,
                BadProjections.WithPackagePrivateReset.class, BadProjections.WithResetReturningValue.class,
                BadProjections.WithStaticReset.class, BadProjections.InlineWithReset.class).close())
                .isInstanceOf(jakarta.enterprise.inject.spi.DeploymentException.class)
                .hasMessageContaining(BadProjections.WithTwoResets.class.getName()
                        + ": has 2 @ProjectionReset methods, clear(Connection) and reset(); declare exactly one that"
                        + " clears the whole read model")
                .hasMessageContaining(BadProjections.WithResetTakingWrongParameter.class.getName()
                        + ": @ProjectionReset reset(String) must take no parameters or one java.sql.Connection")
                .hasMessageContaining(BadProjections.WithPackagePrivateReset.class.getName()
                        + ": @ProjectionReset reset() must be public")
                .hasMessageContaining(BadProjections.WithResetReturningValue.class.getName()
                        + ": @ProjectionReset reset() must return void")
                .hasMessageContaining(BadProjections.WithStaticReset.class.getName()
                        + ": @ProjectionReset reset() must not be static")
                .hasMessageContaining(BadProjections.InlineWithReset.class.getName()
                        + ": @ProjectionReset reset() is never called on an INLINE projection: only"
                        + " AsyncProjections.rebuild calls it, for ASYNC projections");
    }

    @Test
    void segmentsOutOfTheRuntimesRangeOrOnAnInlineProjectionFailTheDeployment() {
        assertThatThrownBy(() -> CdiTestContainer.start(NEVER_USED, StoreConfig.defaults(),
                BadProjections.WithZeroSegments.class, BadProjections.WithTooManySegments.class,
                BadProjections.InlineWithSegments.class).close())
                .isInstanceOf(jakarta.enterprise.inject.spi.DeploymentException.class)
                .hasMessageContaining(BadProjections.WithZeroSegments.class.getName()
                        + ": segments = 0 is out of range; declare between 1 (the default: one node at a time) and"
                        + " 256")
                .hasMessageContaining(BadProjections.WithTooManySegments.class.getName()
                        + ": segments = 257 is out of range")
                .hasMessageContaining(BadProjections.InlineWithSegments.class.getName()
                        + ": segments = 4 on an INLINE projection, which runs inside each appending transaction and"
                        + " has no segments; remove segments, or declare mode = ASYNC");
    }

    @Test
    void aSingleBrokenProjectionFailsAnOtherwiseValidDeployment() {
        assertThatThrownBy(() -> CdiTestContainer.start(NEVER_USED, StoreConfig.defaults(), Recorder.class,
                TestBeans.EverythingProjection.class, BadProjections.WithoutHandler.class).close())
                .isInstanceOf(jakarta.enterprise.inject.spi.DeploymentException.class)
                .hasMessageContaining(BadProjections.WithoutHandler.class.getName());
    }
}
