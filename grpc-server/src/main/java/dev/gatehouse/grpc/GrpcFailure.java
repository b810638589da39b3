package dev.gatehouse.grpc;

import io.grpc.Status;

/**
 * A failure a handler means to send as it is: the call ends with {@link #code} and the message. Any
 * other failure ends the call with INTERNAL and a fixed message (its detail is logged, never sent).
 */
public final class GrpcFailure extends RuntimeException {
  private final Status.Code code;

  public GrpcFailure(Status.Code code, String message) {
    super(message, null, false, false);
    if (code == Status.Code.OK) {
      throw new IllegalArgumentException("a failure cannot have the status OK");
    }
    this.code = code;
  }

  public Status.Code code() {
    return code;
  }
}
