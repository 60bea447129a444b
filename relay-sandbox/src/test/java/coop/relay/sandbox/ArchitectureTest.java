package coop.relay.sandbox;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;

/** The sandbox's dependency rules from DESIGN.md. */
@AnalyzeClasses(packages = "coop.relay.sandbox", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  /** Emulators are written from the platforms' specs, never from Relay's connectors or core. */
  @ArchTest
  static final ArchRule sandboxDependsOnNothingElseOfRelay =
      noClasses().that().resideInAPackage("coop.relay.sandbox..")
          .should().dependOnClassesThat(resideInAPackage("coop.relay..").and(not(resideInAPackage("coop.relay.sandbox.."))));

  /** The shared framework knows no platform, so every emulator plugs in the same way. */
  @ArchTest
  static final ArchRule frameworkKnowsNoPlatform =
      noClasses().that().resideInAnyPackage("coop.relay.sandbox", "coop.relay.sandbox.internal")
          .should().dependOnClassesThat().resideInAnyPackage(
              "coop.relay.sandbox.telegram..", "coop.relay.sandbox.discord..", "coop.relay.sandbox.slack..",
              "coop.relay.sandbox.matrix..");

  /** Platform emulators do not lean on each other. */
  @ArchTest
  static final ArchRule emulatorsAreIndependent =
      noClasses().that().resideInAPackage("coop.relay.sandbox.telegram..")
          .should().dependOnClassesThat().resideInAnyPackage(
              "coop.relay.sandbox.discord..", "coop.relay.sandbox.slack..", "coop.relay.sandbox.matrix..");

  /** Public API methods expose no implementation type. */
  @ArchTest
  static final ArchRule publicSignaturesHideInternals =
      methods().that().arePublic().and().areDeclaredInClassesThat().resideOutsideOfPackage("..internal..")
          .should(new ArchCondition<JavaMethod>("not mention .internal types in their signature") {
            @Override
            public void check(JavaMethod method, ConditionEvents events) {
              List<JavaClass> types = new ArrayList<>(method.getRawParameterTypes());
              types.add(method.getRawReturnType());
              for (JavaClass type : types) {
                if (type.getPackageName().contains(".internal")) {
                  events.add(SimpleConditionEvent.violated(method, method.getFullName() + " exposes " + type.getName()));
                }
              }
            }
          });
}
