package coop.relay.support;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The module's shape: what connector authors see, and what library code must never do. */
class ArchitectureTest {
  private static final String INTERNAL = "coop.relay.support.internal";
  private static final JavaClasses MAIN = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("coop.relay.support");

  @Test
  void publicSignaturesNeverExposeInternalTypes() {
    codeUnits().that().arePublic().and().areDeclaredInClassesThat().arePublic()
        .and().areDeclaredInClassesThat().resideInAPackage("coop.relay.support")
        .should(new ArchCondition<JavaCodeUnit>("not mention internal types in their signature") {
          @Override
          public void check(JavaCodeUnit unit, ConditionEvents events) {
            List<JavaType> types = new ArrayList<>(unit.getParameterTypes());
            types.add(unit.getReturnType());
            for (JavaType type : types) {
              for (JavaClass involved : type.getAllInvolvedRawTypes()) {
                if (involved.getPackageName().startsWith(INTERNAL)) {
                  events.add(SimpleConditionEvent.violated(unit, unit.getFullName() + " exposes " + involved.getName()));
                }
              }
            }
          }
        })
        .check(MAIN);
    fields().that().arePublic().and().areDeclaredInClassesThat().resideInAPackage("coop.relay.support")
        .should(new ArchCondition<JavaField>("not have an internal type") {
          @Override
          public void check(JavaField field, ConditionEvents events) {
            if (field.getRawType().getPackageName().startsWith(INTERNAL)) {
              events.add(SimpleConditionEvent.violated(field, field.getFullName() + " is internal"));
            }
          }
        })
        .check(MAIN);
  }

  @Test
  void internalClassesAreFinal() {
    classes().that().resideInAPackage(INTERNAL).and().areTopLevelClasses().and().areNotInterfaces()
        .and(DescribedPredicate.describe("are not package-info", (JavaClass c) -> !c.getSimpleName().equals("package-info")))
        .should().haveModifier(JavaModifier.FINAL)
        .check(MAIN);
  }

  @Test
  void libraryCodeNeverBlocksOrSleeps() {
    noClasses().should().callMethodWhere(DescribedPredicate.describe("a blocking call",
            call -> (call.getTargetOwner().isAssignableTo(reactor.core.publisher.Mono.class)
                    || call.getTargetOwner().isAssignableTo(reactor.core.publisher.Flux.class))
                && call.getName().startsWith("block")
                || call.getTargetOwner().isEquivalentTo(Thread.class) && call.getName().equals("sleep")))
        .check(MAIN);
  }

  @Test
  void dependsOnNoOtherRelayModuleThanTheApi() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(
            "coop.relay.core..", "coop.relay.testkit..", "coop.relay.sandbox..",
            "coop.relay.telegram..", "coop.relay.discord..", "coop.relay.slack..", "coop.relay.matrix..")
        .check(MAIN);
  }
}
