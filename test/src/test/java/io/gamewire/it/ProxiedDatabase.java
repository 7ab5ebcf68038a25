package io.gamewire.it;

import io.gamewire.testsupport.RealServices;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.h2.tools.Server;

/**
 * The database of a {@link GamewireUnderTest}, reached through a {@link TcpProxy} that a test cuts
 * and restores: MariaDB on the real stack, an H2 TCP server over the run's data folder on the
 * embedded one. Configure before {@link GamewireUnderTest#start()}.
 */
final class ProxiedDatabase implements TestDatabase, AutoCloseable {

    final TcpProxy proxy;
    private final Server h2;
    private final String directUrl;
    private final boolean onServices;

    ProxiedDatabase(GamewireUnderTest gw) throws Exception {
        onServices = gw.onServices;
        if (gw.onServices) {
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

    /** A connection past the proxy (so also while it is cut); the caller closes it. */
    @Override
    public Connection connect() throws SQLException {
        String user = onServices ? RealServices.MYSQL_USER : "sa";
        String password = onServices ? RealServices.MYSQL_PASSWORD : "";
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
