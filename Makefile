# Container images of MaroonedPods. The Java build and its tests: ./mvnw -B verify (see README.md).
#   make image push IMAGE=registry.example.com/maroonedpods/maroonedpods-services TAG=0.1.0
#   make build-node-image build-containerdisk push-node-image NODE_IMAGE=... NODE_TAG=... [PODMAN=...] (node-image/Makefile)
# IMAGE and TAG default to the values in the kustomize overlays' `images:` entries (a test keeps them equal).

IMAGE ?= quay.io/maroonedpods/maroonedpods-services
TAG ?= 0.1.0
ENGINE ?= $(shell command -v podman >/dev/null 2>&1 && echo podman || echo docker)
PLATFORM ?= linux/amd64

.PHONY: help image push image-push build-node-image build-containerdisk push-node-image test manifests

# The node image has its own Makefile (and its own IMAGE/TAG): do not hand it this file's command-line IMAGE and TAG,
# forward only what is meant for it.
MAKEOVERRIDES :=
unexport IMAGE TAG
NODE_MAKE = $(MAKE) -C node-image $(if $(NODE_IMAGE),IMAGE=$(NODE_IMAGE)) $(if $(NODE_TAG),TAG=$(NODE_TAG)) \
	$(if $(K3S_VERSION),K3S_VERSION=$(K3S_VERSION)) $(if $(K3S_SHA256),K3S_SHA256=$(K3S_SHA256)) \
	$(if $(PODMAN),PODMAN=$(PODMAN))

help:
	@echo "make image              build $(IMAGE):$(TAG) with $(ENGINE) (images/services/Containerfile)"
	@echo "make push               push $(IMAGE):$(TAG)"
	@echo "make build-node-image   build the bootc node image (node-image/Makefile; NODE_IMAGE=..., NODE_TAG=...)"
	@echo "make build-containerdisk  build the containerDisk KubeVirt boots from it"
	@echo "make push-node-image    push both node images"
	@echo "make test               ./mvnw -B verify"
	@echo "make manifests          print the secondary-scheduler install (kubectl kustomize)"
	@echo "Override IMAGE=..., TAG=..., ENGINE=podman|docker, PLATFORM=linux/arm64"

image:
	$(ENGINE) build --platform $(PLATFORM) -f images/services/Containerfile -t $(IMAGE):$(TAG) .

push:
	$(ENGINE) push $(IMAGE):$(TAG)

image-push: image push

build-node-image build-containerdisk push-node-image:
	$(NODE_MAKE) $@

test:
	./mvnw -B verify

manifests:
	kubectl kustomize manifests/overlays/secondary-scheduler
