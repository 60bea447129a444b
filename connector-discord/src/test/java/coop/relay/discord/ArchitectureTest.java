package coop.relay.discord;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
import coop.relay.testkit.ArchitectureRules;

/** The design rules of DESIGN.md, for the Discord connector's production classes. */
@AnalyzeClasses(packages = "coop.relay", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchTests DESIGN_RULES = ArchTests.in(ArchitectureRules.class);

  @ArchTest
  static final ArchRule PUBLIC_TYPES = ArchitectureRules.publicTypesResideOnlyIn("coop.relay.api..",
      "coop.relay.spi..", "coop.relay.support", "coop.relay.discord", "coop.relay.testkit..", "coop.relay.sandbox..");

  /** Only the engine and its settings cross from the public package into the implementation. */
  @ArchTest
  static final ArchRule INTERNALS_ARE_PACKAGE_PRIVATE = classes()
      .that().resideInAPackage("coop.relay.discord.internal")
      .and().areTopLevelClasses()
      .and().doNotHaveSimpleName("DiscordEngine")
      .and().doNotHaveSimpleName("DiscordSettings")
      .should().notBePublic()
      .because("the connector's implementation is not API");

  @ArchTest
  static final ArchRule INTERNAL_CLASSES_ARE_FINAL = classes()
      .that().resideInAPackage("coop.relay.discord.internal")
      .and().areTopLevelClasses().and().areNotInterfaces().and().areNotEnums()
      .should().haveModifier(com.tngtech.archunit.core.domain.JavaModifier.FINAL)
      .because("nothing in the implementation is meant to be extended");
}
