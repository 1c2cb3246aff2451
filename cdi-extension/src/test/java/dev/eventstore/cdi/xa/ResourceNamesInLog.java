package dev.eventstore.cdi.xa;

import com.arjuna.ats.internal.jta.resources.arjunacore.XAResourceRecord;
import com.arjuna.ats.internal.jta.resources.arjunacore.XAResourceRecordWrappingPlugin;
import org.jboss.tm.XAResourceWrapper;

import javax.transaction.xa.XAResource;

/**
 * Makes Narayana write the name of each participant's resource manager ({@link XAResourceWrapper#getJndiName()})
 * into its log, as WildFly's transaction subsystem does. Recovery needs it: a branch that the named resource manager
 * no longer reports was completed there, so the log entry can go (see {@link NamedXAResource}).
 */
public final class ResourceNamesInLog implements XAResourceRecordWrappingPlugin {

    private static final int NO_EIS_NAME = 0;

    @Override
    public void transcribeWrapperData(XAResourceRecord record) {
        if (record.value() instanceof XAResourceWrapper named) {
            record.setJndiName(named.getJndiName());
            record.setProductName(named.getProductName());
            record.setProductVersion(named.getProductVersion());
        }
    }

    @Override
    public Integer getEISName(XAResource resource) {
        return NO_EIS_NAME;
    }

    @Override
    public String getEISName(Integer key) {
        return "unknown eis name";
    }
}
