package io.strix.common.redact;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactTest {
    @Test
    void hidesPasswordButKeepsUserAndHost() {
        assertThat(Redact.url("rtsp://admin:s3cret@10.0.0.5:554/Streaming/101"))
                .isEqualTo("rtsp://admin:***@10.0.0.5:554/Streaming/101");
    }

    @Test
    void hidesTokenOnlyUserInfoAndSecretQueryParameters() {
        assertThat(Redact.url("https://abc123@cams.example/live.m3u8?token=xyz&res=hd"))
                .isEqualTo("https://***@cams.example/live.m3u8?token=***&res=hd");
    }

    @Test
    void redactsUrlsInsideErrorMessages() {
        assertThat(Redact.url("Connection to rtsp://u:p@host/a failed; retry rtsps://v:q@other/b"))
                .isEqualTo("Connection to rtsp://u:***@host/a failed; retry rtsps://v:***@other/b");
    }

    @Test
    void leavesUrlsWithoutCredentialsAlone() {
        assertThat(Redact.url("sim://street?seed=1&fps=5")).isEqualTo("sim://street?seed=1&fps=5");
        assertThat(Redact.url(null)).isNull();
    }
}
