package org.flashsale.inventory.rest;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

import org.flashsale.testsupport.WithPostgres;

/** Every keyed race of {@link KeyedGroupCommitTest} again with the group commit off: each keyed reserve alone. */
@QuarkusTest
@WithPostgres
@TestProfile(ReservationConcurrencyBatchingOffTest.BatchingOff.class)
class KeyedGroupCommitBatchingOffTest extends KeyedGroupCommitTest {
}
