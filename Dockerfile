# jianfan's container image (ghcr.io/jianfan-ssg/jianfan): the static musl
# binary on Alpine, with a shell, so it serves as a CI image too (GitLab's
# `image:`, any runner that starts a shell in the container).
#
#   docker build -t jianfan .
#   docker run --rm -u "$(id -u):$(id -g)" -v "$PWD:/site" jianfan jianfan build
#
# The build stage runs .ci/package, the same script that makes the release
# archives, for this machine's architecture (the release workflow builds
# amd64 and arm64 on runners of each), and the image gets the binary from the
# archive that script checked.

FROM rust:1.95-alpine3.22 AS build
# bash runs the script; make and perl build jemalloc (Pagefind's allocator on
# musl); git dates the archive; xz and GNU tar pack it reproducibly.
# hadolint ignore=DL3018
RUN apk add --no-cache bash build-base git make perl tar xz
WORKDIR /src
COPY . .
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN target="$(uname -m)-unknown-linux-musl" \
    && archive="$(.ci/package "$target" /out)" \
    && tar -xJf "$archive" -C /out \
    && cp "/out/jianfan-v"*"-$target/jianfan" /usr/local/bin/jianfan

FROM alpine:3.22
# ca-certificates for a build that fetches nothing today but may link out;
# git for CI jobs that read the repository's history.
# hadolint ignore=DL3018
RUN apk add --no-cache ca-certificates git
COPY --from=build /usr/local/bin/jianfan /usr/local/bin/jianfan
WORKDIR /site
# No ENTRYPOINT: CI systems run their own shell commands in the image.
CMD ["jianfan", "--help"]
