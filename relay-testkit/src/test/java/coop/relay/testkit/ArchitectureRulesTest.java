package coop.relay.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import coop.relay.api.archfixture.ApiThing;
import coop.relay.core.archfixture.CoreThing;
import coop.relay.sandbox.archfixture.SandboxThing;
import coop.relay.telegram.archfixture.TelegramThing;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The rules hold for relay-api and the testkit (the ArchUnit engine runs them on the production
 * classes), and each of them catches its violation in the deliberately broken classes of the
 * {@code archfixture} test packages.
 */
@AnalyzeClasses(packages = "coop.relay", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureRulesTest {

  @ArchTest
  static final ArchTests DESIGN_RULES = ArchTests.in(ArchitectureRules.class);

  @ArchTest
  static final ArchRule PUBLIC_TYPES = ArchitectureRules.publicTypesResideOnlyIn(
      "coop.relay.api..", "coop.relay.spi..", "coop.relay.testkit", "coop.relay.testkit.tck");

  @Test
  void theProductionRulesSeeRelayApiAndTheTestkitButNoTestClasses() {
    JavaClasses production = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("coop.relay");

    assertThat(production.contain(coop.relay.api.Message.class)).isTrue();
    assertThat(production.contain(coop.relay.spi.Connector.class)).isTrue();
    assertThat(production.contain(InMemoryPlatform.class)).isTrue();
    assertThat(production.contain(CoreThing.class)).isFalse();
    ArchitectureRules.all().check(production);
  }

  @Nested
  class CatchesViolations {
    private final JavaClasses broken = new ClassFileImporter()
        .importPackages("coop.relay.api.archfixture", "coop.relay.core.archfixture",
            "coop.relay.core.internal.archfixture",
            "coop.relay.telegram.archfixture", "coop.relay.discord.archfixture", "coop.relay.slack.archfixture",
            "coop.relay.sandbox.archfixture", "okhttp3");

    private String violations(ArchRule rule) {
      EvaluationResult result = rule.evaluate(broken);
      assertThat(result.hasViolation()).as("%s has a violation", rule.getDescription()).isTrue();
      return String.join("\n", result.getFailureReport().getDetails());
    }

    @Test
    void apiThatUsesOurOtherModulesOrOtherLibraries() {
      assertThat(violations(ArchitectureRules.RELAY_API_DEPENDS_ON_NOTHING_OF_OURS))
          .contains(ApiThing.class.getName()).contains("InMemoryCursorStore");
      assertThat(violations(ArchitectureRules.RELAY_API_USES_ONLY_THE_JDK_REACTOR_AND_JSPECIFY))
          .contains("org.slf4j.LoggerFactory");
    }

    @Test
    void connectorsThatUseTheCoreOrEachOther() {
      assertThat(violations(ArchitectureRules.CONNECTORS_DO_NOT_DEPEND_ON_THE_CORE))
          .contains(TelegramThing.class.getName()).contains(CoreThing.class.getName());
      assertThat(violations(ArchitectureRules.CONNECTORS_DO_NOT_DEPEND_ON_EACH_OTHER))
          .contains("DiscordThing").doesNotContain("CoreThing");
    }

    @Test
    void coreAndSandboxThatUseConnectors() {
      assertThat(violations(ArchitectureRules.CORE_DOES_NOT_DEPEND_ON_CONNECTORS)).contains("SlackThing");
      assertThat(violations(ArchitectureRules.SANDBOX_DOES_NOT_DEPEND_ON_CONNECTORS)).contains("DiscordThing");
    }

    @Test
    void libraryCodeThatUsesTheTestkit() {
      assertThat(violations(ArchitectureRules.LIBRARY_CODE_DOES_NOT_DEPEND_ON_THE_TESTKIT))
          .contains("InMemoryCursorStore");
    }

    @Test
    void transportTypesInPublicSignatures() {
      assertThat(violations(ArchitectureRules.NO_TRANSPORT_TYPES_IN_PUBLIC_SIGNATURES))
          .contains("CoreThing.call() returns okhttp3.FakeCall");
    }

    @Test
    void internalsUsedFromAnotherModuleOrExposed() {
      assertThat(violations(ArchitectureRules.INTERNALS_ARE_USED_ONLY_BY_THEIR_OWNER))
          .contains(SandboxThing.class.getName()).contains("is internal to coop.relay.testkit")
          .doesNotContain("CoreThing");
      assertThat(violations(ArchitectureRules.PUBLIC_API_DOES_NOT_EXPOSE_INTERNALS))
          .contains("CoreThing.hidden() returns coop.relay.core.internal.archfixture.Hidden");
    }

    @Test
    void packagesWithoutNullMarked() {
      assertThat(violations(ArchitectureRules.EVERY_PACKAGE_IS_NULL_MARKED))
          .contains("package coop.relay.telegram.archfixture of");
    }

    @Test
    void publicTypesOutsideTheNamedPackages() {
      assertThat(violations(ArchitectureRules.publicTypesResideOnlyIn("coop.relay.api..")))
          .contains("TelegramThing").doesNotContain("Hidden");
    }

    @Test
    void allCombinesEveryRule() {
      assertThat(ArchitectureRules.all().evaluate(broken).getFailureReport().getDetails())
          .hasSizeGreaterThanOrEqualTo(11);
    }
  }
}
