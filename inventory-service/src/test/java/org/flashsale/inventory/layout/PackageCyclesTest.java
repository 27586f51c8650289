package org.flashsale.inventory.layout;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The packages of inventory-service depend on each other one way (README, Layout): a rule two packages need lives in
 * the lower one. Read from the compiled classes, so an import kept only for a comment does not count, a call does.
 */
class PackageCyclesTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.flashsale.inventory");

    @Test
    void featuresDependOnEachOtherOneWay() {
        slices().matching("org.flashsale.inventory.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void packagesInsideAFeatureDependOnEachOtherOneWay() {
        slices().matching("org.flashsale.inventory.(**)").should().beFreeOfCycles().check(MAIN);
    }
}
