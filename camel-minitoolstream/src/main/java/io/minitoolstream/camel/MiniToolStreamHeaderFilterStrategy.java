package io.minitoolstream.camel;

import org.apache.camel.support.DefaultHeaderFilterStrategy;

/** Keeps Camel's own headers out of stored messages and off consumed exchanges' stored-header set. */
public class MiniToolStreamHeaderFilterStrategy extends DefaultHeaderFilterStrategy {

    public MiniToolStreamHeaderFilterStrategy() {
        setOutFilterStartsWith(CAMEL_FILTER_STARTS_WITH);
        setInFilterStartsWith(CAMEL_FILTER_STARTS_WITH);
    }
}
