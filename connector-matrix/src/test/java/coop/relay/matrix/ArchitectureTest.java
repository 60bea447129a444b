package coop.relay.matrix;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
import coop.relay.testkit.ArchitectureRules;

/** The dependency rules of DESIGN.md, checked against the Matrix connector's production classes. */
@AnalyzeClasses(packages = "coop.relay", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {
  @ArchTest
  static final ArchTests DESIGN_RULES = ArchTests.in(ArchitectureRules.class);

  @ArchTest
  static final ArchRule PUBLIC_TYPES_ONLY_IN_THE_CONNECTORS_PACKAGE = classes()
      .that().resideInAPackage("coop.relay.matrix..")
      .and().arePublic()
      .and().areTopLevelClasses()
      .should().resideInAPackage("coop.relay.matrix")
      .orShould().haveSimpleName("MatrixEngine")
      .orShould().haveSimpleName("EngineConfig")
      .because("the connector's API is coop.relay.matrix; its implementation is package-private, except the one"
          + " entry point the public builder needs");

  @ArchTest
  static final ArchRule IMPLEMENTATION_CLASSES_ARE_FINAL = classes()
      .that().resideInAPackage("coop.relay.matrix.internal")
      .and().areNotInterfaces()
      .and().areNotRecords()
      .and().areNotEnums()
      .and().areTopLevelClasses()
      .should().haveModifier(com.tngtech.archunit.core.domain.JavaModifier.FINAL)
      .because("implementation classes are not designed for extension");

  @ArchTest
  static final ArchRule THE_CONNECTOR_USES_NO_OTHER_RELAY_MODULE = classes()
      .that().resideInAPackage("coop.relay.matrix..")
      .should().onlyDependOnClassesThat().resideOutsideOfPackages("coop.relay.core..", "coop.relay.sandbox..",
          "coop.relay.testkit..", "coop.relay.telegram..", "coop.relay.discord..", "coop.relay.slack..")
      .because("connector-matrix compiles against relay-api and connector-support only");
}
