# Two stages: build a static binary, then run it in a small image as a non-root user.
#   docker build --build-arg VERSION=$(git describe --tags --always --dirty) -t followup .

# The same Go release as make (GOTOOLCHAIN in the Makefile).
FROM golang:1.27.3-bookworm AS build
WORKDIR /src
# Modules first, in a layer of their own: it is rebuilt only when go.mod or go.sum change.
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
# The same flags as `make build`.
RUN CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/followup ./cmd/followup

# debian:bookworm-slim rather than a distroless or scratch image: the same Debian release as the
# builder, time zones (tzdata: reminders are due in each person's time zone) and CA certificates
# (TLS to Slack, managed Postgres and Redis) from Debian's packages, and a shell for whoever has
# to look inside a running container. So the binary needs no embedded tzdata (-tags timetzdata).
FROM debian:bookworm-slim
RUN apt-get update \
	&& apt-get install -y --no-install-recommends ca-certificates tzdata \
	&& rm -rf /var/lib/apt/lists/* \
	&& useradd --system --uid 10001 --user-group --no-create-home --shell /usr/sbin/nologin followup
COPY --from=build /out/followup /followup
USER 10001:10001
EXPOSE 3000
ENTRYPOINT ["/followup"]
CMD ["serve"]
