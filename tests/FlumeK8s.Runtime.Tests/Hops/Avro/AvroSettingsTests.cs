using FlumeK8s.Runtime.Hops.Avro;
using FlumeK8s.Runtime.Sinks;
using FlumeK8s.Runtime.Sources;
using FlumeK8s.Runtime.Tests.Support;

namespace FlumeK8s.Runtime.Tests.Hops.Avro;

public sealed class AvroSettingsTests
{
    [Fact]
    public void SinkSettings_Defaults_AreFlumes()
    {
        var (context, problems) = TestPipeline.Context("hostname=collector", "port=4141");

        var settings = AvroSinkSettings.Read(context);

        Assert.Empty(problems.Errors);
        Assert.Equal(100, settings.BatchSize);
        Assert.Equal(TimeSpan.FromSeconds(20), settings.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(20), settings.RequestTimeout);
        Assert.Equal(TimeSpan.Zero, settings.ResetConnectionInterval);
        Assert.False(settings.Deflate);
        Assert.Equal(6, settings.CompressionLevel);
        Assert.Null(settings.Ssl);
    }

    [Fact]
    public void Settings_RequiredMissing_AreErrors()
    {
        var (sinkContext, sinkProblems) = TestPipeline.Context("batch-size=10");
        var (sourceContext, sourceProblems) = TestPipeline.Context("compression-type=deflate");

        AvroSinkSettings.Read(sinkContext);
        AvroSourceSettings.Read(sourceContext);

        Assert.Equal(["hostname", "port"], sinkProblems.Errors.Select(p => p.Key[(p.Key.LastIndexOf('.') + 1)..]).Order());
        Assert.Equal(["bind", "port"], sourceProblems.Errors.Select(p => p.Key[(p.Key.LastIndexOf('.') + 1)..]).Order());
    }

    [Fact]
    public void KeystoreType_Jks_IsAnErrorThatSaysHowToConvert()
    {
        using var certificates = new AvroTestCertificates();
        var (context, problems) = TestPipeline.Context("bind=0.0.0.0", "port=4141", "ssl=true", $"keystore={certificates.Keystore}", "keystore-type=JKS");

        AvroSourceSettings.Read(context);

        var error = Assert.Single(problems.Errors);
        Assert.EndsWith("keystore-type", error.Key);
        Assert.Contains("PKCS12", error.Message);
    }

    [Fact]
    public void TruststoreType_Jks_IsAnError()
    {
        var (context, problems) = TestPipeline.Context("hostname=h", "port=1", "ssl=true", "truststore-type=jks");

        AvroSinkSettings.Read(context);

        Assert.Contains(problems.Errors, p => p.Key.EndsWith("truststore-type", StringComparison.Ordinal));
    }

    [Fact]
    public void Keystore_JksFile_RefusedAtLoadWithAClearMessage()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(path, [0xFE, 0xED, 0xFE, 0xED, 0, 0, 0, 2]);

            var error = Assert.Throws<InvalidOperationException>(() => AvroKeyStores.LoadServerCertificate(path, "x"));

            Assert.Contains("JKS", error.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Ssl_WithoutKeystore_IsAnError()
    {
        var (context, problems) = TestPipeline.Context("bind=0.0.0.0", "port=4141", "ssl=true");

        AvroSourceSettings.Read(context);

        Assert.Contains(problems.Errors, p => p.Key.EndsWith(".keystore", StringComparison.Ordinal));
    }

    [Fact]
    public void Catalogs_NameTheAvroTypesByAliasAndFlumeClass()
    {
        Assert.Contains(SourceCatalog.All, t => t.Matches("avro") && t.Matches("org.apache.flume.source.AvroSource"));
        Assert.Contains(SinkCatalog.All, t => t.Matches("AVRO") && t.Matches("org.apache.flume.sink.AvroSink"));
    }
}
