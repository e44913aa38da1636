using System.Security.Cryptography;
using System.Text;

namespace Dispatch.Server.Payments;

/// <summary>RSA with SHA-256 and PKCS#1 v1.5 padding, as both WeChat Pay v3 and Alipay's RSA2 sign: base64 signatures.</summary>
internal static class PaymentKeys
{
    public static RSA Load(string pem)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(pem);
        return rsa;
    }

    public static string Sign(RSA privateKey, string message) =>
        Convert.ToBase64String(privateKey.SignData(Encoding.UTF8.GetBytes(message), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));

    public static bool Verify(RSA publicKey, string message, string? signature)
    {
        if (string.IsNullOrEmpty(signature)) return false;
        var bytes = new byte[signature.Length];
        if (!Convert.TryFromBase64String(signature, bytes, out var length)) return false;
        return publicKey.VerifyData(Encoding.UTF8.GetBytes(message), bytes.AsSpan(0, length), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
    }
}
