package dev.gatehouse.packaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The strict reader must reject what fabric8's default reader would quietly keep aside. */
class StrictManifestsTest {
  private final StrictManifests manifests = new StrictManifests();

  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
              - name: web
                image: nginx
                %s: {httpGet: {path: /, port: 80}}
      """;

  @Test
  void knownFieldsParseIntoTypedClasses() {
    List<HasMetadata> parsed = manifests.parseAll(DEPLOYMENT.formatted("readinessProbe"));
    assertThat(parsed).singleElement().isInstanceOf(Deployment.class);
    Deployment deployment = (Deployment) parsed.get(0);
    assertThat(
            deployment
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getReadinessProbe()
                .getHttpGet()
                .getPath())
        .isEqualTo("/");
  }

  @Test
  void aMisspeltFieldDeepInsideIsAnError() {
    assertThatThrownBy(() -> manifests.parseAll(DEPLOYMENT.formatted("readinesProbe")))
        .hasMessageContaining("Deployment")
        .hasMessageContaining("readinesProbe");
  }

  @Test
  void aKindWithoutATypedClassIsAnError() {
    assertThatThrownBy(
            () ->
                manifests.parseAll(
                    "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n"))
        .hasMessageContaining("Widget")
        .hasMessageContaining("expected: a typed kind");
  }

  @Test
  void emptyDocumentsAreSkipped() {
    assertThat(manifests.parseAll("---\n# only a comment\n---\n")).isEmpty();
  }
}
