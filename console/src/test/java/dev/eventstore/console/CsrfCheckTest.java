package dev.eventstore.console;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class CsrfCheckTest {

    private static final URI ACTION = URI.create("http://console.example:8080/console/api/projections/p/pause");

    @Test
    void aScriptWithTheHeaderAndNoOriginMayAct() {
        assertThat(CsrfCheck.refusal(ACTION, "eventstore-console", null, null)).isEmpty();
    }

    @Test
    void theConsolesOwnPageMayAct() {
        assertThat(CsrfCheck.refusal(ACTION, "eventstore-console", "http://console.example:8080", "same-origin"))
                .isEmpty();
        assertThat(CsrfCheck.refusal(URI.create("https://c.example/api/x"), "x", "https://C.example:443", null))
                .isEmpty();
    }

    @Test
    void aRequestWithoutTheHeaderIsRefusedNamingIt() {
        assertThat(CsrfCheck.refusal(ACTION, null, null, null)).get().asString().contains("X-Requested-By");
        assertThat(CsrfCheck.refusal(ACTION, " ", null, null)).isPresent();
    }

    @Test
    void anotherOriginIsRefusedEvenWithTheHeader() {
        assertThat(CsrfCheck.refusal(ACTION, "x", "http://evil.example", null)).get().asString()
                .contains("evil.example");
        assertThat(CsrfCheck.refusal(ACTION, "x", "http://console.example:9090", null)).isPresent();
        assertThat(CsrfCheck.refusal(ACTION, "x", "https://console.example:8080", null)).isPresent();
        assertThat(CsrfCheck.refusal(ACTION, "x", "null", null)).isPresent();
        assertThat(CsrfCheck.refusal(ACTION, "x", "not a uri", null)).isPresent();
    }

    @Test
    void aCrossSiteFetchIsRefused() {
        assertThat(CsrfCheck.refusal(ACTION, "x", null, "cross-site")).get().asString().contains("cross-site");
        assertThat(CsrfCheck.refusal(ACTION, "x", null, "same-site")).isPresent();
    }
}
