package coop.relay.telegram;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.ArchTests;
import com.tngtech.archunit.lang.ArchRule;
import coop.relay.testkit.ArchitectureRules;

/** DESIGN.md's dependency rules for this module, and its own shape: a small public face, the rest internal. */
@AnalyzeClasses(packages = "coop.relay.telegram", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchTests DESIGN_RULES = ArchTests.in(ArchitectureRules.class);

  @ArchTest
  static final ArchRule PUBLIC_TYPES = ArchitectureRules.publicTypesResideOnlyIn("coop.relay.telegram");

  @ArchTest
  static final ArchRule ONLY_THE_ENTRY_TYPES_ARE_PUBLIC_INSIDE = classes()
      .that().resideInAPackage("coop.relay.telegram.internal")
      .and().arePublic()
      .should().haveNameMatching("coop\\.relay\\.telegram\\.internal\\.(TelegramEngine|EngineConfig(\\$Webhook)?)")
      .because("everything else in the implementation is package-private");

  @ArchTest
  static final ArchRule IMPLEMENTATION_CLASSES_ARE_FINAL = classes()
      .that().resideInAPackage("coop.relay.telegram..")
      .and().areNotInterfaces().and().areNotEnums().and().areNotRecords().and().areNotAnonymousClasses()
      .should().haveModifier(com.tngtech.archunit.core.domain.JavaModifier.FINAL)
      .because("nothing of the connector is designed for extension");
}
