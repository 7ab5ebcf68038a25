package io.gamewire.it;

import io.gamewire.testsupport.RealServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.h2.tools.Server;

/**
 * The database of a {@link GamewireUnderTest}, reached through a {@link TcpProxy} that a test cuts
 * and restores: MariaDB on the real stack, an H2 TCP server over the run's data folder on the
 * embedded one. Configure before {@link GamewireUnderTest#start()}.
 */
final class ProxiedDatabase implements AutoCloseable {

    final TcpProxy proxy;
    private final Server h2;
    private final String directUrl;

    ProxiedDatabase(GamewireUnderTest gw) throws Exception {
        if (GamewireUnderTest.SERVICES) {
            h2 = null;
            proxy = new TcpProxy(RealServices.MYSQL_HOST, RealServices.MYSQL_PORT);
            gw.overrides.put("gamewire.db.url", RealServices.mysqlUrl("127.0.0.1", proxy.port(), gw.database()));
            directUrl = RealServices.mysqlUrl(gw.database());
        } else {
            h2 = Server.createTcpServer("-tcpPort", "0", "-ifNotExists", "-baseDir", gw.dataDir.toString()).start();
            proxy = new TcpProxy("127.0.0.1", h2.getPort());
            gw.overrides.put("gamewire.db.url", "jdbc:h2:tcp://127.0.0.1:" + proxy.port()
                    + "/./db/gamewire;MODE=MySQL;DATABASE_TO_LOWER=TRUE");
            directUrl = "jdbc:h2:tcp://127.0.0.1:" + h2.getPort() + "/./db/gamewire;MODE=MySQL;DATABASE_TO_LOWER=TRUE";
        }
        gw.overrides.put("gamewire.db.timeout-ms", "1000");
    }

    /** The number the query counts, read past the proxy (so also while it is cut). */
    long count(String sql) throws SQLException {
        return counts(sql)[0];
    }

    /** The numbers in the query's one row, read in one statement past the proxy. */
    long[] counts(String sql) throws SQLException {
        try (Connection connection = connect();
             Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            long[] values = new long[row.getMetaData().getColumnCount()];
            for (int i = 0; i < values.length; i++) {
                values[i] = row.getLong(i + 1);
            }
            return values;
        }
    }

    /** A connection past the proxy (so also while it is cut); the caller closes it. */
    Connection connect() throws SQLException {
        String user = GamewireUnderTest.SERVICES ? RealServices.MYSQL_USER : "sa";
        String password = GamewireUnderTest.SERVICES ? RealServices.MYSQL_PASSWORD : "";
        return DriverManager.getConnection(directUrl, user, password);
    }

    /** The database becomes unreachable: no new connections, existing ones reset. */
    void cut() {
        proxy.cut();
    }

    /** Reachable again. */
    void restore() throws java.io.IOException {
        proxy.restore();
    }

    @Override
    public void close() throws java.io.IOException {
        proxy.close();
        if (h2 != null) {
            h2.stop();
        }
    }
}
