package io.gamewire.sinks.sql;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code gamewire.db.url} in messages. A URL may carry passwords: MySQL Connector/J's in the user
 * information of a host ({@code jdbc:mysql://user:secret@db/gamewire}), in the key-value forms of
 * a host ({@code (host=db,password=secret)}, {@code address=(host=db)(password=secret)}) and in
 * its query ({@code password}, {@code password1} to {@code password3} of multi-factor logins,
 * {@code trustCertificateKeyStorePassword} for TLS,
 * {@code clientCertificateKeyStorePassword}, {@code xdevapi.ssl-truststore-password}); H2's in its
 * {@code ;}-separated settings ({@code ;PASSWORD=x}). Start errors and logs show the URL without
 * their values.
 */
public final class JdbcUrls {

    /** The authority (the hosts) of a URL with one: what follows {@code //} up to the path, query or fragment. */
    private static final Pattern AUTHORITY = Pattern.compile("//([^/?#]*)");
    /** A host's user information with a password: {@code user:secret@}, at the start of a host. */
    private static final Pattern USER_INFO = Pattern.compile("(^|,)([^:@,()\\[\\]]*):[^@,]*@");
    /** A password key of a key-value host, up to the next {@code ,} or {@code )}. */
    private static final Pattern HOST_PASSWORD = Pattern.compile("(?i)([(,]\\s*[\\w.-]*password\\d*\\s*=)[^,)]*");
    /** A query parameter named ...password or ...password1 (any case) of a MySQL URL: only {@code &} separates them. */
    private static final Pattern MYSQL_PASSWORD = Pattern.compile("(?i)([?&][\\w.-]*password\\d*=)[^&#]*");
    /** A parameter named ...password or ...password1 (any case) of another URL (H2: {@code ;}-separated settings). */
    private static final Pattern OTHER_PASSWORD = Pattern.compile("(?i)([?&;][\\w.-]*password\\d*=)[^&;]*");

    private JdbcUrls() {
    }

    /** The URL with every password replaced by {@code ***}. */
    public static String withoutSecrets(String jdbcUrl) {
        Matcher authority = AUTHORITY.matcher(jdbcUrl);
        String url = jdbcUrl;
        int queryFrom = 0;
        if (authority.find()) {
            String hosts = USER_INFO.matcher(authority.group(1)).replaceAll("$1$2:***@");
            hosts = HOST_PASSWORD.matcher(hosts).replaceAll("$1***");
            url = jdbcUrl.substring(0, authority.start(1)) + hosts + jdbcUrl.substring(authority.end(1));
            queryFrom = authority.start(1) + hosts.length();
        }
        Pattern parameters = mysql(jdbcUrl) ? MYSQL_PASSWORD : OTHER_PASSWORD;
        return url.substring(0, queryFrom) + parameters.matcher(url.substring(queryFrom)).replaceAll("$1***");
    }

    /** Connector/J's URLs: {@code jdbc:mysql:...} (also {@code :loadbalance:}, {@code :replication:}, {@code +srv}) and {@code mysqlx:}. */
    private static boolean mysql(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        return lower.startsWith("jdbc:mysql") || lower.startsWith("mysqlx");
    }
}
