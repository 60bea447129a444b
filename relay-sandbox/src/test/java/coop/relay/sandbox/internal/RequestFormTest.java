package coop.relay.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestFormTest {

  @Test
  void readsQueryUrlencodedBodiesAndLetsTheBodyWin() {
    RequestForm form = RequestForm.parse("/m?a=1&b=%C3%BC", "application/x-www-form-urlencoded; charset=UTF-8",
        "b=2&c=x+y%26z".getBytes(StandardCharsets.UTF_8));
    assertThat(form.fields()).containsEntry("a", "1").containsEntry("b", "2").containsEntry("c", "x y&z");
  }

  @Test
  void splitsMultipartBodiesIntoFieldsAndFiles() {
    byte[] binary = {0, (byte) 0xff, '\r', '\n', '-', '-'};
    String head = "--XyZ\r\nContent-Disposition: form-data; name=\"chat_id\"\r\n\r\n-100\r\n"
        + "--XyZ\r\nContent-Disposition: form-data; name=\"document\"; filename=\"a b.bin\"\r\n"
        + "Content-Type: application/octet-stream\r\n\r\n";
    byte[] tail = "\r\n--XyZ--\r\n".getBytes(StandardCharsets.UTF_8);
    byte[] body = new byte[head.length() + binary.length + tail.length];
    System.arraycopy(head.getBytes(StandardCharsets.UTF_8), 0, body, 0, head.length());
    System.arraycopy(binary, 0, body, head.length(), binary.length);
    System.arraycopy(tail, 0, body, head.length() + binary.length, tail.length);

    RequestForm form = RequestForm.parse("/m", "multipart/form-data; boundary=\"XyZ\"", body);
    assertThat(form.fields()).containsEntry("chat_id", "-100");
    RequestForm.Part file = form.files().get("document");
    assertThat(file.fileName()).isEqualTo("a b.bin");
    assertThat(file.contentType()).isEqualTo("application/octet-stream");
    assertThat(file.data()).isEqualTo(binary);
  }

  @Test
  void refusesMultipartWithoutItsBoundary() {
    assertThatThrownBy(() -> RequestForm.parse("/m", "multipart/form-data", new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RequestForm.parse("/m", "multipart/form-data; boundary=q", "--q\r\nname".getBytes()))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
