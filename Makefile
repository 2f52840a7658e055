# Container images of MaroonedPods. The Java build and its tests: ./mvnw -B verify (see README.md).
#   make image push IMAGE=registry.example.com/maroonedpods/maroonedpods-services TAG=0.1.0
#   make build-node-image push-node-image     (delegated to node-image/Makefile)
# IMAGE and TAG default to the values in the kustomize overlays' `images:` entries (a test keeps them equal).

IMAGE ?= quay.io/maroonedpods/maroonedpods-services
TAG ?= 0.1.0
ENGINE ?= $(shell command -v podman >/dev/null 2>&1 && echo podman || echo docker)
PLATFORM ?= linux/amd64

.PHONY: help image push image-push build-node-image push-node-image test manifests

help:
	@echo "make image              build $(IMAGE):$(TAG) with $(ENGINE) (images/services/Containerfile)"
	@echo "make push               push $(IMAGE):$(TAG)"
	@echo "make build-node-image   build the VM node image (node-image/Makefile)"
	@echo "make push-node-image    push the VM node image (node-image/Makefile)"
	@echo "make test               ./mvnw -B verify"
	@echo "make manifests          print the secondary-scheduler install (kubectl kustomize)"
	@echo "Override IMAGE=..., TAG=..., ENGINE=podman|docker, PLATFORM=linux/arm64"

image:
	$(ENGINE) build --platform $(PLATFORM) -f images/services/Containerfile -t $(IMAGE):$(TAG) .

push:
	$(ENGINE) push $(IMAGE):$(TAG)

image-push: image push

build-node-image:
	$(MAKE) -C node-image build

push-node-image:
	$(MAKE) -C node-image push

test:
	./mvnw -B verify

manifests:
	kubectl kustomize manifests/overlays/secondary-scheduler
