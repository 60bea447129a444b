package coop.relay.core;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import coop.relay.testkit.ArchitectureRules;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** DESIGN.md's dependency rules, as they apply to relay-core (and the relay-api it sees). */
class ArchitectureTest {
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
        .importPackages("coop.relay.core", "coop.relay.api", "coop.relay.spi");
  }

  @Test
  void coreDoesNotDependOnConnectors() {
    ArchitectureRules.CORE_DOES_NOT_DEPEND_ON_CONNECTORS.check(classes);
  }

  @Test
  void apiDependsOnNothingOfOurs() {
    ArchitectureRules.RELAY_API_DEPENDS_ON_NOTHING_OF_OURS.check(classes);
  }

  @Test
  void noTransportTypesInPublicSignatures() {
    ArchitectureRules.NO_TRANSPORT_TYPES_IN_PUBLIC_SIGNATURES.check(classes);
  }

  @Test
  void internalsStayInternal() {
    ArchitectureRules.INTERNALS_ARE_USED_ONLY_BY_THEIR_OWNER.check(classes);
    ArchitectureRules.PUBLIC_API_DOES_NOT_EXPOSE_INTERNALS.check(classes);
  }

  @Test
  void libraryCodeDoesNotUseTheTestkit() {
    ArchitectureRules.LIBRARY_CODE_DOES_NOT_DEPEND_ON_THE_TESTKIT.check(classes);
  }

  @Test
  void everyPackageIsNullMarked() {
    ArchitectureRules.EVERY_PACKAGE_IS_NULL_MARKED.check(classes);
  }
}
