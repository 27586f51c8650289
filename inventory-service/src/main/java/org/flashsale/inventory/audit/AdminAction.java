package org.flashsale.inventory.audit;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** What an operator did (admin_audit.action, V11__operator_console.sql). */
@Schema(name = "AdminAction")
public enum AdminAction {
    CREATE, EDIT, RESTOCK, END_SALE, PAUSE, RESUME, RESET
}
