package coop.relay.slack;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
import coop.relay.testkit.ArchitectureRules;

/** DESIGN.md's rules for this module's production classes, and the module's own shape. */
@AnalyzeClasses(packages = "coop.relay", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchTests DESIGN_RULES = ArchTests.in(ArchitectureRules.class);

  @ArchTest
  static final ArchRule PUBLIC_TYPES_ONLY_IN_THE_PUBLIC_PACKAGE =
      // The testkit and the sandbox are on the test class path only; their public packages are DESIGN.md's too.
      ArchitectureRules.publicTypesResideOnlyIn("coop.relay.api..", "coop.relay.spi..", "coop.relay.support..",
          "coop.relay.testkit..", "coop.relay.sandbox..", "coop.relay.slack");

  /** The only public classes of the implementation are the engine and its settings, which SlackConnector builds. */
  @ArchTest
  static final ArchRule INTERNALS_ARE_PACKAGE_PRIVATE = classes()
      .that().resideInAPackage("coop.relay.slack.internal")
      .and().areTopLevelClasses()
      .and().doNotHaveSimpleName("SlackEngine")
      .and().doNotHaveSimpleName("SlackSettings")
      .should().notBePublic()
      .because("the implementation is reached only through SlackConnector");

  @ArchTest
  static final ArchRule INTERNAL_CLASSES_ARE_FINAL = classes()
      .that().resideInAPackage("coop.relay.slack.internal")
      .and().areTopLevelClasses()
      .and().areNotInterfaces()
      .and().areNotRecords()
      .and().areNotEnums()
      .should().haveModifier(JavaModifier.FINAL)
      .because("nothing in the implementation is designed for extension");

  @ArchTest
  static final ArchRule ONLY_API_AND_SUPPORT_OF_OURS = noClasses()
      .that().resideInAPackage("coop.relay.slack..")
      .should().dependOnClassesThat().resideInAnyPackage("coop.relay.core..", "coop.relay.testkit..",
          "coop.relay.sandbox..", "coop.relay.telegram..", "coop.relay.discord..", "coop.relay.matrix..")
      .because("the connector's compile dependencies are relay-api and relay-connector-support only");

  @ArchTest
  static void theConnectorIsInTheImport(JavaClasses classes) {
    org.assertj.core.api.Assertions.assertThat(classes.contain(SlackConnector.class)).isTrue();
  }
}
