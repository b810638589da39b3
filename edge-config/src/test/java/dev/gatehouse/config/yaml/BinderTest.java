package dev.gatehouse.config.yaml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.config.ConfigError;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.schema.CoreSchema;

class BinderTest {
  @SnakeCase
  record Sample(
      @Required String name,
      @Default("7") @Range(min = 1, max = 10) Integer count,
      @SingleOrList List<String> tags,
      Color color,
      Shade shade) {}

  enum Color {
    RED,
    @YamlName("Dark-Blue")
    DARK_BLUE
  }

  @IgnoreCase
  enum Shade {
    LIGHT,
    DARK
  }

  private final List<ConfigError> problems = new ArrayList<>();

  private Sample bind(String yaml) {
    LoadSettings settings = LoadSettings.builder().setSchema(new CoreSchema()).build();
    Node node = new Compose(settings).composeString(yaml).orElseThrow();
    return Binder.bindRecord(node, Sample.class, new BindContext("t.yaml", "Sample x", problems));
  }

  @Test
  void appliesDefaultsAndAcceptsOneValueForASingleOrListField() {
    assertThat(bind("name: a\ntags: solo\n"))
        .isEqualTo(new Sample("a", 7, List.of("solo"), null, null));
  }

  @Test
  void enumsByYamlNameAndIgnoreCaseWhereAllowed() {
    assertThat(bind("name: a\ncolor: Dark-Blue\nshade: Light\n").color())
        .isEqualTo(Color.DARK_BLUE);
    assertThat(bind("name: a\nshade: dArK\n").shade()).isEqualTo(Shade.DARK);
    assertThat(bind("name: a\ncolor: Red\n")).isNull();
    assertThat(problems)
        .map(ConfigError::toString)
        .containsExactly("t.yaml:2: Sample x: color: \"Red\" (expected: one of red, Dark-Blue)");
  }

  @Test
  void reportsEveryProblemOfOneRecordInOnePass() {
    assertThat(bind("count: 11\ntags: {a: 1}\nnope: 1\n")).isNull();
    assertThat(problems)
        .map(ConfigError::toString)
        .containsExactly(
            "t.yaml:1: Sample x: count: 11 (expected: between 1 and 10)",
            "t.yaml:2: Sample x: tags: a map (expected: a list)",
            "t.yaml:3: Sample x: nope: unknown field (did you mean \"name\"?)",
            "t.yaml:1: Sample x: name: required field is missing");
  }

  @Test
  void nullMeansAbsent() {
    assertThat(bind("name: a\ncount: null\ntags: ~\n"))
        .isEqualTo(new Sample("a", 7, List.of(), null, null));
  }

  @Test
  void suggestsOnlyAnUnambiguousCloseName() {
    assertThat(Names.closest("prefx", List.of("prefix", "precedence"))).isEqualTo("prefix");
    assertThat(Names.closest("zzzzzz", List.of("prefix", "service"))).isNull();
    assertThat(Names.closest("ab", List.of("aa", "bb"))).isNull();
  }
}
