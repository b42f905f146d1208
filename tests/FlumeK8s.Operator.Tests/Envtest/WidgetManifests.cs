namespace FlumeK8s.Operator.Tests.Envtest;

/// <summary>A small custom resource with the features an operator's CRDs rely on.</summary>
internal static class WidgetManifests
{
    public const string CrdName = "widgets.envtest.flumek8s.io";

    public const string Crd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata:
          name: widgets.envtest.flumek8s.io
        spec:
          group: envtest.flumek8s.io
          scope: Namespaced
          names:
            plural: widgets
            singular: widget
            kind: Widget
            listKind: WidgetList
          versions:
          - name: v1
            served: true
            storage: true
            subresources:
              status: {}
              scale:
                specReplicasPath: .spec.replicas
                statusReplicasPath: .status.replicas
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    required: [size]
                    properties:
                      replicas:
                        type: integer
                        minimum: 0
                        maximum: 10
                      size:
                        type: string
                        enum: [small, large]
                  status:
                    type: object
                    properties:
                      replicas:
                        type: integer

        """;

    public static string Widget(string name, string ns, string replicas, string size) => $"""
        apiVersion: envtest.flumek8s.io/v1
        kind: Widget
        metadata:
          name: {name}
          namespace: {ns}
        spec:
          replicas: {replicas}
          size: {size}

        """;
}
