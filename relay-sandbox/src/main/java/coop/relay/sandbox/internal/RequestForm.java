package coop.relay.sandbox.internal;

import io.netty.handler.codec.http.QueryStringDecoder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The parameters of a platform API request: its query string plus an {@code
 * application/x-www-form-urlencoded} or {@code multipart/form-data} body, as most chat APIs accept.
 * JSON bodies are left to each emulator, whose platforms type their values differently.
 */
public final class RequestForm {

  /**
   * One part of a multipart body.
   *
   * @param name the form field name
   * @param fileName the file name, for file parts; {@code null} for plain fields
   * @param contentType the part's declared type, or {@code null}
   * @param data the raw bytes
   */
  public record Part(String name, @Nullable String fileName, @Nullable String contentType, byte[] data) {
    /** The part's bytes as UTF-8 text. */
    public String text() {
      return new String(data, StandardCharsets.UTF_8);
    }

    /** Whether the client sent this part as a file upload. */
    public boolean isFile() {
      return fileName != null;
    }
  }

  private final Map<String, String> fields;
  private final Map<String, Part> files;

  private RequestForm(Map<String, String> fields, Map<String, Part> files) {
    this.fields = fields;
    this.files = files;
  }

  /** The text fields, query parameters first and body fields overriding them. */
  public Map<String, String> fields() {
    return fields;
  }

  /** The file parts by field name. */
  public Map<String, Part> files() {
    return files;
  }

  /**
   * Reads the query of {@code uri} and, by {@code contentType}, a urlencoded or multipart body.
   *
   * @throws IllegalArgumentException if a multipart body is malformed (no boundary, no closing
   *     delimiter)
   */
  public static RequestForm parse(String uri, @Nullable String contentType, byte[] body) {
    Map<String, String> fields = new LinkedHashMap<>();
    Map<String, Part> files = new LinkedHashMap<>();
    new QueryStringDecoder(uri).parameters().forEach((k, v) -> fields.put(k, v.get(v.size() - 1)));
    String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
    if (type.startsWith("application/x-www-form-urlencoded")) {
      Charset charset = charset(contentType);
      new QueryStringDecoder(new String(body, charset), charset, false)
          .parameters()
          .forEach((k, v) -> fields.put(k, v.get(v.size() - 1)));
    } else if (type.startsWith("multipart/form-data")) {
      for (Part part : multipart(contentType, body)) {
        if (part.isFile()) {
          files.put(part.name(), part);
        } else {
          fields.put(part.name(), part.text());
        }
      }
    }
    return new RequestForm(fields, files);
  }

  /** Splits a {@code multipart/form-data} body into its parts. */
  public static List<Part> multipart(String contentType, byte[] body) {
    String boundary = attribute(contentType, "boundary");
    if (boundary == null || boundary.isEmpty()) {
      throw new IllegalArgumentException("multipart/form-data without a boundary");
    }
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
    List<Part> parts = new ArrayList<>();
    int at = indexOf(body, delimiter, 0);
    if (at < 0) {
      throw new IllegalArgumentException("multipart body does not contain its boundary");
    }
    while (true) {
      int after = at + delimiter.length;
      if (after + 1 < body.length && body[after] == '-' && body[after + 1] == '-') {
        return parts;
      }
      int headersStart = skipLineBreak(body, after);
      int headersEnd = indexOf(body, new byte[] {'\r', '\n', '\r', '\n'}, headersStart);
      if (headersEnd < 0) {
        throw new IllegalArgumentException("multipart part without a header end");
      }
      String headers = new String(body, headersStart, headersEnd - headersStart, StandardCharsets.UTF_8);
      int dataStart = headersEnd + 4;
      int next = indexOf(body, concat(new byte[] {'\r', '\n'}, delimiter), dataStart);
      if (next < 0) {
        throw new IllegalArgumentException("multipart body has no closing boundary");
      }
      byte[] data = java.util.Arrays.copyOfRange(body, dataStart, next);
      String disposition = null;
      String partType = null;
      for (String line : headers.split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon < 0) {
          continue;
        }
        String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
        String value = line.substring(colon + 1).trim();
        if (name.equals("content-disposition")) {
          disposition = value;
        } else if (name.equals("content-type")) {
          partType = value;
        }
      }
      String fieldName = disposition == null ? null : attribute(disposition, "name");
      if (fieldName != null) {
        parts.add(new Part(fieldName, attribute(disposition, "filename"), partType, data));
      }
      at = next + 2;
    }
  }

  private static Charset charset(String contentType) {
    String name = attribute(contentType, "charset");
    try {
      return name == null ? StandardCharsets.UTF_8 : Charset.forName(name);
    } catch (IllegalArgumentException e) {
      return StandardCharsets.UTF_8;
    }
  }

  /** The value of {@code name=...} in a header value such as a content type or disposition. */
  static @Nullable String attribute(String header, String name) {
    for (String piece : header.split(";")) {
      String p = piece.trim();
      int eq = p.indexOf('=');
      if (eq > 0 && p.substring(0, eq).trim().equalsIgnoreCase(name)) {
        String value = p.substring(eq + 1).trim();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        return value;
      }
    }
    return null;
  }

  private static int skipLineBreak(byte[] body, int at) {
    if (at + 1 < body.length && body[at] == '\r' && body[at + 1] == '\n') {
      return at + 2;
    }
    return at;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = Math.max(0, from); i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
