package dev.eventstore.console;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class PayloadsTest {

    @Test
    void aJsonPayloadIsPrettyPrinted() {
        Payloads.Rendered rendered = Payloads.render("{\"customer\":\"alice\",\"lines\":[1,2]}"
                .getBytes(StandardCharsets.UTF_8));

        assertThat(rendered.format()).isEqualTo("json");
        assertThat(rendered.text()).contains("\n").contains("\"customer\": \"alice\"");
        assertThat(rendered.bytes()).isEqualTo(34);
    }

    @Test
    void bytesThatAreNotJsonAreShownAsHexThirtyTwoToALine() {
        byte[] payload = new byte[40];
        payload[0] = (byte) 0xca;
        payload[1] = (byte) 0xfe;

        Payloads.Rendered rendered = Payloads.render(payload);

        assertThat(rendered.format()).isEqualTo("hex");
        assertThat(rendered.text()).startsWith("ca fe 00").contains("\n").hasLineCount(2);
    }

    @Test
    void textThatLooksLikeJsonButIsNotIsHexAndSoIsInvalidUtf8() {
        assertThat(Payloads.render("{not json".getBytes(StandardCharsets.UTF_8)).format()).isEqualTo("hex");
        assertThat(Payloads.render(new byte[] {'{', (byte) 0xff, '}'}).format()).isEqualTo("hex");
        assertThat(Payloads.render(new byte[0]).format()).isEqualTo("hex");
    }

    @Test
    void aHugeBinaryPayloadIsCutAndSaysHowMuchIsLeft() {
        String text = Payloads.hex(new byte[Payloads.MAX_HEX_BYTES + 10]);

        assertThat(text).endsWith("... 10 more bytes");
    }
}
