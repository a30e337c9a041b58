# The builder stage runs as a user, but the image that ships runs as root.
FROM golang:latest AS build
USER builder
WORKDIR /src
COPY --chown=builder . .
RUN go install github.com/example/tool@latest && go build -o /out/app .

FROM registry.example.com:5000/base
COPY --from=build /out/app /usr/local/bin/app
RUN apk add curl
USER 0:0
ENTRYPOINT ["/usr/local/bin/app"]
