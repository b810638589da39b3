package dev.gatehouse.proxy.upstream;

import com.google.protobuf.Message;
import com.google.protobuf.Parser;
import io.vertx.grpc.common.GrpcMessageDecoder;
import io.vertx.grpc.common.GrpcMessageEncoder;
import io.vertx.grpc.common.ServiceMethod;
import io.vertx.grpc.common.ServiceName;

/**
 * A unary gRPC method that edge-proxy calls: its HTTP/2 path, how to read its answer, and the same
 * method for Vert.x's gRPC client (used over TLS, where {@link UnaryGrpcChannels} does not go).
 */
public record GrpcMethod<Q extends Message, R extends Message>(
    String path, Parser<R> parser, ServiceMethod<R, Q> vertx) {

  @SuppressWarnings("unchecked")
  public static <Q extends Message, R extends Message> GrpcMethod<Q, R> of(
      String service, String method, R responsePrototype) {
    return new GrpcMethod<>(
        "/" + service + "/" + method,
        (Parser<R>) responsePrototype.getParserForType(),
        ServiceMethod.client(
            ServiceName.create(service),
            method,
            GrpcMessageEncoder.encoder(),
            GrpcMessageDecoder.decoder(responsePrototype.newBuilderForType())));
  }
}
