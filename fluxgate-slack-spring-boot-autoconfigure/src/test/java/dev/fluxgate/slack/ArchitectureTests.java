package dev.fluxgate.slack;

import java.util.Set;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.fluxgate.slack.thread.ThreadStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package structure: {@code dev.fluxgate.slack} is the public API, the listeners and their builders, and only
 * the Spring Boot parts see it; the packages below it each hold one concern, {@code event} holds the values they
 * share, and no two packages depend on each other; Spring Boot is only in the auto-configuration and the actuator
 * parts; and one package writes thread state.
 */
class ArchitectureTests {

	private static final String[] CORE = { "dev.fluxgate.slack", "dev.fluxgate.slack.thread..",
			"dev.fluxgate.slack.delivery..", "dev.fluxgate.slack.storm..", "dev.fluxgate.slack.message..",
			"dev.fluxgate.slack.resilience4j..", "dev.fluxgate.slack.client..", "dev.fluxgate.slack.redis..",
			"dev.fluxgate.slack.metrics..", "dev.fluxgate.slack.time..", "dev.fluxgate.slack.action..",
			"dev.fluxgate.slack.socket.." };

	private static JavaClasses classes;

	@BeforeAll
	static void importMainClasses() {
		classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("dev.fluxgate.slack");
	}

	@Test
	void noPackageIsInACycleTheApiIncluded() {
		slices().matching("dev.fluxgate.(**)").should().beFreeOfCycles().check(classes);
	}

	@Test
	void theApiPackageHoldsOnlyTheListenersTheirBuildersAndTheirView() {
		classes().that()
			.resideInAPackage("dev.fluxgate.slack")
			.and()
			.areTopLevelClasses()
			.should()
			.bePublic()
			.andShould()
			.haveSimpleNameContaining("SlackListener")
			.check(classes);
	}

	@Test
	void onlyTheAutoConfigurationAndTheActuatorAndMetricsPartsSeeTheApi() {
		noClasses().that()
			.resideOutsideOfPackages("dev.fluxgate.slack", "dev.fluxgate.slack.autoconfigure..",
					"dev.fluxgate.slack.actuate..", "dev.fluxgate.slack.metrics..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.fluxgate.slack")
			.check(classes);
	}

	@Test
	void theCoreSeesOnlyTheApisValueTypesNeverAListener() {
		noClasses().that()
			.resideInAnyPackage("dev.fluxgate.slack.thread..", "dev.fluxgate.slack.delivery..",
					"dev.fluxgate.slack.storm..", "dev.fluxgate.slack.message..", "dev.fluxgate.slack.resilience4j..",
					"dev.fluxgate.slack.client..", "dev.fluxgate.slack.redis..", "dev.fluxgate.slack.metrics..",
					"dev.fluxgate.slack.actuate..")
			.should()
			.dependOnClassesThat()
			.haveSimpleNameEndingWith("SlackListener")
			.orShould()
			.dependOnClassesThat()
			.haveSimpleNameStartingWith("SlackListenerBuilder")
			.check(classes);
	}

	@Test
	void theCoreHasNoSpringBootInIt() {
		noClasses().that()
			.resideInAnyPackage(CORE)
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework.boot..", "dev.fluxgate.slack.autoconfigure..",
					"dev.fluxgate.slack.actuate..")
			.check(classes);
	}

	@Test
	void onlyTheThreadPackageChangesThreadState() {
		noClasses().that()
			.resideOutsideOfPackages("dev.fluxgate.slack.thread..", "dev.fluxgate.slack.redis..")
			.should()
			.callMethodWhere(DescribedPredicate.describe("ThreadStore create, replace or remove",
					(call) -> call.getTargetOwner().isAssignableTo(ThreadStore.class)
							&& Set.of("create", "replace", "remove").contains(call.getName())))
			.check(classes);
	}

}
