package io.minitoolstream.examples.cleaner;

import java.time.Clock;
import java.time.Duration;

import io.minio.MinioClient;
import io.minitoolstream.camel.MiniToolStreamComponent;
import io.minitoolstream.camel.MiniToolStreamConfiguration;
import io.minitoolstream.camel.store.MinioPayloadStore;
import io.minitoolstream.camel.store.StreamStore;
import io.minitoolstream.camel.store.TarantoolStreamStore;
import io.tarantool.driver.api.TarantoolClient;
import io.tarantool.driver.api.TarantoolResult;
import io.tarantool.driver.api.tuple.TarantoolTuple;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cleaner route's orphan sweep ({@code bean: orphanSweep, method: sweep}). It reaches Tarantool and the
 * bucket with the {@code minitoolstream} component's own settings (or the clients autowired into it), through
 * clients of its own that it creates on the first sweep and closes when the CamelContext stops.
 * <p>
 * When Tarantool does not offer {@link TarantoolReferences#FUNCTION} (an older Lua module), the sweep logs why
 * and removes nothing.
 */
public class OrphanSweep extends ServiceSupport implements CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(OrphanSweep.class);

    private final Duration grace;
    private final int pageSize;
    private CamelContext camelContext;
    private StreamStore store;
    private MinioClient ownedMinio;
    private OrphanSweeper sweeper;
    private String lastFailure;

    public OrphanSweep(Duration grace, int pageSize) {
        this.grace = grace;
        this.pageSize = pageSize;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /** Runs one sweep; the body of the route becomes the number of objects removed. */
    public synchronized int sweep() {
        try {
            OrphanSweeper.Result result = sweeper().sweep();
            lastFailure = null;
            return result.removed().size();
        } catch (Exception e) {
            String reason = e.getMessage();
            // Say it once per distinct reason, not on every timer tick.
            if (!String.valueOf(reason).equals(lastFailure)) {
                LOG.warn("Orphan sweep failed, nothing removed: {}", reason);
                lastFailure = String.valueOf(reason);
            }
            return 0;
        }
    }

    @SuppressWarnings("unchecked")
    private OrphanSweeper sweeper() {
        if (sweeper == null) {
            MiniToolStreamConfiguration config = camelContext
                    .getComponent("minitoolstream", MiniToolStreamComponent.class).getConfiguration();
            TarantoolClient<?, ?> client = config.getTarantoolClient();
            store = client != null
                    ? new TarantoolStreamStore((TarantoolClient<TarantoolTuple, TarantoolResult<TarantoolTuple>>) client)
                    : new TarantoolStreamStore(config.tarantoolSettings());
            MinioClient minio = config.getMinioClient();
            if (minio == null) {
                ownedMinio = MinioPayloadStore.createClient(config.s3Settings());
                minio = ownedMinio;
            }
            sweeper = new OrphanSweeper(new MinioBucket(minio, config.getBucket(), pageSize),
                    new TarantoolReferences(store, Duration.ofMillis(config.getRequestTimeout() * 2L)), grace,
                    Clock.systemUTC());
        }
        return sweeper;
    }

    @Override
    protected void doStart() {
        // clients are created on the first sweep
    }

    @Override
    protected synchronized void doStop() throws Exception {
        sweeper = null;
        if (store != null) {
            store.close();
            store = null;
        }
        if (ownedMinio != null) {
            ownedMinio.close();
            ownedMinio = null;
        }
    }
}
