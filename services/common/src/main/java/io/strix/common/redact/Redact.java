package io.strix.common.redact;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Hides credentials in URLs before they reach a log, a status record, a metric or an API answer. */
public final class Redact {
    // scheme://user:password@host -> scheme://user:***@host ; scheme://token@host -> scheme://***@host
    private static final Pattern USER_INFO = Pattern.compile("(?<scheme>[a-zA-Z][a-zA-Z0-9+.-]*://)(?<userinfo>[^/@\\s]*)@");
    private static final Pattern SECRET_PARAMS = Pattern.compile(
            "(?i)([?&](?:password|passwd|pwd|token|access_token|api_key|apikey|key|secret|auth)=)[^&\\s#]*");

    private Redact() {
    }

    public static String url(String text) {
        if (text == null) {
            return null;
        }
        Matcher m = USER_INFO.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String userInfo = m.group("userinfo");
            int colon = userInfo.indexOf(':');
            String hidden = colon >= 0 ? userInfo.substring(0, colon) + ":***" : "***";
            m.appendReplacement(out, Matcher.quoteReplacement(m.group("scheme") + hidden + "@"));
        }
        m.appendTail(out);
        return SECRET_PARAMS.matcher(out).replaceAll("$1***");
    }
}
