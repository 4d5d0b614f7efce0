using System.Buffers.Binary;

namespace PrivateInference.Host;

/// <summary>
/// The model owner's model in plaintext: logistic regression, trained by full-batch gradient
/// descent. <see cref="Score"/> does the arithmetic in the same order as the enclave, so the
/// two give bit-identical results.
/// </summary>
internal sealed class LogisticModel(double bias, double[] weights)
{
    public double Bias { get; } = bias;

    public double[] Weights { get; } = weights;

    public int FeatureCount => Weights.Length;

    /// <summary>The probability of the positive class.</summary>
    public double Predict(ReadOnlySpan<double> features) => Probability(Score(features));

    /// <summary>The score: the log-odds of the positive class, the bias plus each weight times its feature.</summary>
    public double Score(ReadOnlySpan<double> features)
    {
        double score = Bias;
        for (int i = 0; i < Weights.Length; i++)
        {
            score += Weights[i] * features[i];
        }

        return score;
    }

    /// <summary>The logistic function: a score (log-odds) as a probability.</summary>
    public static double Probability(double score) => 1.0 / (1.0 + Math.Exp(-score));

    /// <summary>Trains on <paramref name="features"/> and 0/1 <paramref name="labels"/> (deterministic: no randomness).</summary>
    public static LogisticModel Train(double[][] features, int[] labels, int epochs, double learningRate)
    {
        int n = features.Length;
        int d = features[0].Length;
        double bias = 0;
        double[] weights = new double[d];
        double[] gradient = new double[d];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            LogisticModel current = new(bias, weights);
            Array.Clear(gradient);
            double biasGradient = 0;
            for (int k = 0; k < n; k++)
            {
                double error = current.Predict(features[k]) - labels[k];
                biasGradient += error;
                for (int i = 0; i < d; i++)
                {
                    gradient[i] += error * features[k][i];
                }
            }

            bias -= learningRate * biasGradient / n;
            weights = [.. weights.Select((w, i) => w - (learningRate * gradient[i] / n))];
        }

        return new LogisticModel(bias, weights);
    }

    /// <summary>The share of <paramref name="labels"/> the model gets right at a 0.5 threshold.</summary>
    public double Accuracy(double[][] features, int[] labels) =>
        features.Select((x, k) => (Predict(x) >= 0.5 ? 1 : 0) == labels[k] ? 1.0 : 0.0).Average();

    /// <summary>The model as the enclave reads it: feature count (int32), bias, weights (float64, little-endian).</summary>
    public byte[] Encode()
    {
        byte[] bytes = new byte[4 + ((FeatureCount + 1) * sizeof(double))];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, FeatureCount);
        BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(4), Bias);
        for (int i = 0; i < FeatureCount; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(bytes.AsSpan(4 + ((i + 1) * sizeof(double))), Weights[i]);
        }

        return bytes;
    }
}
