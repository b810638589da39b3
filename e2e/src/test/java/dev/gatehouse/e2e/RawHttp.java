package dev.gatehouse.e2e;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP/1.1 over a plain socket, for requests a client library would rewrite (a Host other than the
 * address connected to, a hand-written Connection header): one request per connection, the answer
 * read by its Content-Length.
 */
final class RawHttp {
  private static final Pattern LENGTH = Pattern.compile("(?i)\r\ncontent-length: *(\\d+)");

  /** A status, the header lines (name lower-cased) and the body. */
  record Answer(int status, List<Map.Entry<String, String>> headers, String body) {
    String header(String name) {
      return headers.stream()
          .filter(h -> h.getKey().equals(name))
          .map(Map.Entry::getValue)
          .findFirst()
          .orElse(null);
    }

    List<String> all(String name) {
      return headers.stream()
          .filter(h -> h.getKey().equals(name))
          .map(Map.Entry::getValue)
          .toList();
    }
  }

  private RawHttp() {}

  static Answer send(int port, String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(20_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
        int b = in.read();
        if (b < 0) {
          throw new IllegalStateException("connection closed mid-head: " + head);
        }
        head.write(b);
      }
      String text = head.toString(StandardCharsets.ISO_8859_1);
      Matcher length = LENGTH.matcher(text);
      String body =
          length.find()
              ? new String(
                  in.readNBytes(Integer.parseInt(length.group(1))), StandardCharsets.ISO_8859_1)
              : "";
      String[] lines = text.split("\r\n");
      List<Map.Entry<String, String>> headers = new ArrayList<>();
      for (int i = 1; i < lines.length; i++) {
        int colon = lines[i].indexOf(':');
        if (colon > 0) {
          headers.add(
              Map.entry(
                  lines[i].substring(0, colon).strip().toLowerCase(Locale.ROOT),
                  lines[i].substring(colon + 1).strip()));
        }
      }
      return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
    }
  }

  /** A GET with the given Host and extra header lines. */
  static Answer get(int port, String host, String path, String... headerLines) throws Exception {
    StringBuilder request =
        new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
    for (String line : headerLines) {
      request.append(line).append("\r\n");
    }
    return send(port, request.append("\r\n").toString());
  }
}
